package io.photomaker.gateway.webhook;

import io.photomaker.gateway.state.LifecycleConfig;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.List;
import java.util.StringJoiner;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook deliveries the Standard Webhooks way: for each {@code whsec_} secret,
 * {@code v1,<base64 HMAC-SHA256(key, id + "." + timestamp + "." + body)>}, space-separated, so receivers
 * keep verifying while secrets rotate.
 */
public final class WebhookSigner {
    private final List<SecretKeySpec> keys;

    public WebhookSigner(List<String> secrets) {
        this.keys = secrets.stream().map(s -> new SecretKeySpec(LifecycleConfig.secretKey(s), "HmacSHA256")).toList();
    }

    /** Whether no secret is configured (deliveries then go out unsigned). */
    public boolean isEmpty() {
        return keys.isEmpty();
    }

    /** The {@code webhook-signature} header value for one try of a message. */
    public String sign(String messageId, long timestampSeconds, String body) {
        byte[] content = (messageId + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8);
        StringJoiner header = new StringJoiner(" ");
        for (SecretKeySpec key : keys) {
            header.add("v1," + Base64.getEncoder().encodeToString(hmac(key, content)));
        }
        return header.toString();
    }

    private static byte[] hmac(SecretKeySpec key, byte[] content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(content);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
