package io.photomaker.gateway.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.StringJoiner;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook deliveries the Standard Webhooks way, with the secret of the tenant the job belongs to: for
 * each of that tenant's current keys, {@code v1,<base64 HMAC-SHA256(key, id + "." + timestamp + "." + body)>},
 * space-separated, so receivers keep verifying while the server key rotates. Every delivery is signed.
 */
public final class WebhookSigner {
    private final WebhookKeys keys;
    private final LongSupplier clock;

    public WebhookSigner(WebhookKeys keys) {
        this(keys, System::currentTimeMillis);
    }

    WebhookSigner(WebhookKeys keys, LongSupplier clockMillis) {
        this.keys = keys;
        this.clock = clockMillis;
    }

    /** The {@code webhook-signature} header value for one try of a message of {@code tenant}'s job. */
    public String sign(String tenant, String messageId, long timestampSeconds, String body) {
        byte[] content = (messageId + "." + timestampSeconds + "." + body).getBytes(StandardCharsets.UTF_8);
        StringJoiner header = new StringJoiner(" ");
        for (byte[] key : keys.signingKeys(tenant, clock.getAsLong())) {
            header.add(signature(key, content));
        }
        return header.toString();
    }

    /** One {@code v1,<base64 HMAC-SHA256>} signature of {@code content} with {@code key}. */
    static String signature(byte[] key, byte[] content) {
        return "v1," + Base64.getEncoder().encodeToString(hmac(key, content));
    }

    private static byte[] hmac(byte[] key, byte[] content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(content);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }
}
