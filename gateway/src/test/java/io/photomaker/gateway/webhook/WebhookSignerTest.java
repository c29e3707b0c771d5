package io.photomaker.gateway.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.common.config.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330;
    private static final String BODY = "{\"test\": 2432232314}";

    @Test
    void the_standard_webhooks_reference_vector_signs_as_published() {
        String header = new WebhookSigner(List.of(SECRET)).sign(ID, TIMESTAMP, BODY);
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", header);
    }

    @Test
    void an_independent_verifier_accepts_the_signature_and_rejects_a_changed_body_or_timestamp() {
        String header = new WebhookSigner(List.of(SECRET)).sign(ID, TIMESTAMP, BODY);
        assertTrue(StandardWebhooksVerifier.verify(SECRET, ID, TIMESTAMP, BODY, header));
        assertFalse(StandardWebhooksVerifier.verify(SECRET, ID, TIMESTAMP, BODY + " ", header));
        assertFalse(StandardWebhooksVerifier.verify(SECRET, ID, TIMESTAMP + 1, BODY, header));
        assertFalse(StandardWebhooksVerifier.verify(SECRET, "msg_other", TIMESTAMP, BODY, header));
    }

    @Test
    void during_rotation_every_secret_signs_and_a_receiver_knowing_either_one_verifies() {
        String next = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]);
        String header = new WebhookSigner(List.of(SECRET, next)).sign(ID, TIMESTAMP, BODY);
        assertEquals(2, header.split(" ").length);
        assertTrue(StandardWebhooksVerifier.verify(SECRET, ID, TIMESTAMP, BODY, header));
        assertTrue(StandardWebhooksVerifier.verify(next, ID, TIMESTAMP, BODY, header));
        String unrelated = "whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[] {
                1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24});
        assertFalse(StandardWebhooksVerifier.verify(unrelated, ID, TIMESTAMP, BODY, header));
    }

    @Test
    void a_secret_without_the_prefix_or_with_bad_base64_is_refused_with_the_setting_named() {
        ConfigException noPrefix = assertThrows(ConfigException.class,
                () -> new WebhookSigner(List.of("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")));
        assertTrue(noPrefix.getMessage().contains("PM_WEBHOOK_SECRETS"));
        assertThrows(ConfigException.class, () -> new WebhookSigner(List.of("whsec_***")));
        assertThrows(ConfigException.class, () -> new WebhookSigner(List.of("whsec_AAAA")));
    }

    @Test
    void without_secrets_the_signer_reports_itself_empty() {
        assertTrue(new WebhookSigner(List.of()).isEmpty());
        assertFalse(new WebhookSigner(List.of(SECRET)).isEmpty());
    }
}
