package io.photomaker.gateway.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.common.config.ConfigException;
import io.photomaker.common.config.Settings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LifecycleConfigTest {
    private static final String SERVER_KEY = "server-key-for-tests-0123456789abcdef";

    @Test
    void without_settings_the_documented_defaults_apply() {
        LifecycleConfig c = LifecycleConfig.from(Settings.of(Map.of()));
        assertEquals(Duration.ZERO, c.inputRetention());
        assertEquals(Duration.ofDays(1), c.outputTtl());
        assertEquals(Duration.ofDays(7), c.jobRetention());
        assertTrue(c.webhook().keys().ephemeral());
        assertEquals(256, c.webhook().maxInFlight());
        assertEquals(8, c.webhook().maxInFlightPerTenant());
        assertEquals(Duration.ofSeconds(5), c.webhook().dnsTimeout());
        assertFalse(c.webhookAllowPrivate());
        assertEquals(8, c.webhookMaxAttempts());
        assertEquals(Optional.empty(), c.stateDir());
        assertEquals(Duration.ofSeconds(15), c.webhookTimeout());
        assertEquals(Duration.ofSeconds(15), c.sseKeepAlive());
        assertEquals(Duration.ofSeconds(5), c.webhookBackoff().get(0));
        assertEquals(Duration.ofHours(10), c.webhookBackoff().get(c.webhookBackoff().size() - 1));
    }

    @Test
    void every_setting_is_read_from_its_environment_name() {
        LifecycleConfig c = LifecycleConfig.from(Settings.of(Map.ofEntries(
                Map.entry("PM_INPUT_RETENTION_SECONDS", "60"),
                Map.entry("PM_OUTPUT_TTL_SECONDS", "3600"),
                Map.entry("PM_JOB_RETENTION_SECONDS", "86400"),
                Map.entry("PM_WEBHOOK_SIGNING_KEY", SERVER_KEY),
                Map.entry("PM_WEBHOOK_MAX_IN_FLIGHT", "40"),
                Map.entry("PM_WEBHOOK_MAX_IN_FLIGHT_PER_TENANT", "4"),
                Map.entry("PM_WEBHOOK_DNS_TIMEOUT_SECONDS", "2"),
                Map.entry("PM_WEBHOOK_ALLOW_PRIVATE", "true"),
                Map.entry("PM_WEBHOOK_MAX_ATTEMPTS", "3"),
                Map.entry("PM_STATE_DIR", "/var/lib/photomaker/state"),
                Map.entry("PM_PUBLIC_URL", "https://api.example.com/"),
                Map.entry("PM_WEBHOOK_BACKOFF_SECONDS", "1,2,4"),
                Map.entry("PM_WEBHOOK_TIMEOUT_SECONDS", "20"),
                Map.entry("PM_SSE_KEEPALIVE_SECONDS", "30"))));
        assertEquals(Duration.ofMinutes(1), c.inputRetention());
        assertEquals(Duration.ofHours(1), c.outputTtl());
        assertEquals(Duration.ofDays(1), c.jobRetention());
        assertFalse(c.webhook().keys().ephemeral());
        assertEquals(40, c.webhook().maxInFlight());
        assertEquals(4, c.webhook().maxInFlightPerTenant());
        assertEquals(Duration.ofSeconds(2), c.webhook().dnsTimeout());
        assertTrue(c.webhookAllowPrivate());
        assertEquals(3, c.webhookMaxAttempts());
        assertEquals(Optional.of(Path.of("/var/lib/photomaker/state")), c.stateDir());
        assertEquals("https://api.example.com", c.publicUrl());
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4)), c.webhookBackoff());
        assertEquals(Duration.ofSeconds(20), c.webhookTimeout());
        assertEquals(Duration.ofSeconds(30), c.sseKeepAlive());
    }

    @Test
    void bad_values_are_refused_with_the_setting_named() {
        Map<String, String> bad = Map.of(
                "PM_INPUT_RETENTION_SECONDS", "-1",
                "PM_OUTPUT_TTL_SECONDS", "0",
                "PM_WEBHOOK_MAX_ATTEMPTS", "0",
                "PM_WEBHOOK_SIGNING_KEY", "not-a-key",
                "PM_WEBHOOK_ALLOW_PRIVATE", "maybe",
                "PM_PUBLIC_URL", "ftp://x",
                "PM_WEBHOOK_BACKOFF_SECONDS", "5,soon");
        for (var e : bad.entrySet()) {
            ConfigException ex = assertThrows(ConfigException.class,
                    () -> LifecycleConfig.from(Settings.of(Map.of(e.getKey(), e.getValue()))), e.getKey());
            assertTrue(ex.getMessage().contains(e.getKey()), ex.getMessage());
        }
    }
}
