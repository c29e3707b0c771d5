package io.photomaker.gateway.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A receiver-side verifier written from the Standard Webhooks description, independent of the
 * production signer: it decodes the secret itself, builds the signed content byte by byte and compares
 * each listed signature in constant time.
 */
final class StandardWebhooksVerifier {
    private StandardWebhooksVerifier() {
    }

    static boolean verify(String secret, String id, long timestamp, String body, String signatureHeader) {
        try {
            byte[] key = Base64.getDecoder().decode(secret.replaceFirst("^whsec_", ""));
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(id.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) '.');
            mac.update(Long.toString(timestamp).getBytes(StandardCharsets.UTF_8));
            mac.update((byte) '.');
            byte[] expected = mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
            for (String part : signatureHeader.trim().split("\\s+")) {
                int comma = part.indexOf(',');
                if (comma < 0 || !part.substring(0, comma).equals("v1")) {
                    continue;
                }
                byte[] given = Base64.getDecoder().decode(part.substring(comma + 1));
                if (MessageDigest.isEqual(expected, given)) {
                    return true;
                }
            }
            return false;
        } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }
}
