package io.photomaker.gateway.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.common.config.ConfigException;
import io.photomaker.common.config.Settings;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330;
    private static final String BODY = "{\"test\": 2432232314}";
    private static final String SERVER_KEY = "server-key-for-tests-0123456789abcdef";
    private static final String OLD_SERVER_KEY = "the-previous-server-key-0123456789abcdef";

    @Test
    void the_standard_webhooks_reference_vector_signs_as_published() {
        byte[] key = Base64.getDecoder().decode(SECRET.substring("whsec_".length()));
        byte[] content = (ID + "." + TIMESTAMP + "." + BODY).getBytes(StandardCharsets.UTF_8);
        assertEquals("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", WebhookSigner.signature(key, content));
    }

    @Test
    void a_delivery_verifies_with_its_tenants_secret_and_with_no_other_tenants() {
        WebhookKeys keys = WebhookKeys.of(SERVER_KEY);
        String header = new WebhookSigner(keys).sign("acme", ID, TIMESTAMP, BODY);
        assertTrue(StandardWebhooksVerifier.verify(keys.secretFor("acme"), ID, TIMESTAMP, BODY, header));
        assertFalse(StandardWebhooksVerifier.verify(keys.secretFor("globex"), ID, TIMESTAMP, BODY, header));
        assertFalse(StandardWebhooksVerifier.verify(keys.secretFor("acme"), ID, TIMESTAMP, BODY + " ", header));
        assertFalse(StandardWebhooksVerifier.verify(keys.secretFor("acme"), ID, TIMESTAMP + 1, BODY, header));
    }

    @Test
    void a_tenants_secret_is_stable_for_one_server_key_and_differs_by_tenant_and_key() {
        String acme = WebhookKeys.of(SERVER_KEY).secretFor("acme");
        assertTrue(acme.matches("whsec_[A-Za-z0-9+/]{43}="), acme);
        assertEquals(32, Base64.getDecoder().decode(acme.substring(6)).length);
        assertEquals(acme, WebhookKeys.of(SERVER_KEY).secretFor("acme"));
        assertNotEquals(acme, WebhookKeys.of(SERVER_KEY).secretFor("acme2"));
        assertNotEquals(acme, WebhookKeys.of(OLD_SERVER_KEY).secretFor("acme"));
    }

    @Test
    void during_rotation_old_and_new_secrets_both_sign_until_the_grace_period_ends() {
        Instant until = Instant.parse("2030-01-01T00:00:00Z");
        WebhookKeys rotating = WebhookKeys.rotating(SERVER_KEY, OLD_SERVER_KEY, until);
        String newSecret = WebhookKeys.of(SERVER_KEY).secretFor("acme");
        String oldSecret = WebhookKeys.of(OLD_SERVER_KEY).secretFor("acme");
        assertEquals(newSecret, rotating.secretFor("acme"), "GET shows the new secret");

        String during = new WebhookSigner(rotating, () -> until.toEpochMilli() - 1).sign("acme", ID, TIMESTAMP, BODY);
        assertEquals(2, during.split(" ").length);
        assertTrue(StandardWebhooksVerifier.verify(newSecret, ID, TIMESTAMP, BODY, during));
        assertTrue(StandardWebhooksVerifier.verify(oldSecret, ID, TIMESTAMP, BODY, during));

        String after = new WebhookSigner(rotating, until::toEpochMilli).sign("acme", ID, TIMESTAMP, BODY);
        assertEquals(1, after.split(" ").length);
        assertTrue(StandardWebhooksVerifier.verify(newSecret, ID, TIMESTAMP, BODY, after));
        assertFalse(StandardWebhooksVerifier.verify(oldSecret, ID, TIMESTAMP, BODY, after));
    }

    @Test
    void keys_come_from_their_settings_and_bad_ones_are_refused_with_the_setting_named() {
        WebhookKeys keys = WebhookKeys.from(Settings.of(Map.of("PM_WEBHOOK_SIGNING_KEY", SERVER_KEY,
                "PM_WEBHOOK_PREVIOUS_SIGNING_KEY", OLD_SERVER_KEY,
                "PM_WEBHOOK_PREVIOUS_KEY_UNTIL", "2030-01-01T00:00:00Z")));
        assertFalse(keys.ephemeral());
        assertEquals(2, keys.signingKeys("acme", 0).size());
        assertTrue(WebhookKeys.from(Settings.of(Map.of())).ephemeral(), "no key: a random one, flagged");
        for (Map<String, String> bad : new Map[] {
            Map.of("PM_WEBHOOK_SIGNING_KEY", "too-short"),
            Map.of("PM_WEBHOOK_PREVIOUS_SIGNING_KEY", OLD_SERVER_KEY),
            Map.of("PM_WEBHOOK_SIGNING_KEY", SERVER_KEY, "PM_WEBHOOK_PREVIOUS_KEY_UNTIL", "tomorrow")}) {
            ConfigException e = assertThrows(ConfigException.class, () -> WebhookKeys.from(Settings.of(bad)));
            assertTrue(e.getMessage().contains("PM_WEBHOOK_"), e.getMessage());
        }
    }
}
