package io.photomaker.gateway.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.common.config.ConfigException;
import io.photomaker.common.config.Settings;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayConfigTest {
    private static GatewayConfig from(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return GatewayConfig.from(Settings.of(m));
    }

    @Test
    void defaults_listen_on_loopback_port_8080_with_documented_limits() {
        GatewayConfig c = from("PM_API_KEYS", "acme:0123456789abcdef0123");
        assertEquals("127.0.0.1", c.host());
        assertEquals(8080, c.port());
        assertEquals(10 << 20, c.maxImageBytes());
        assertEquals(40_000_000L, c.maxImagePixels());
        assertEquals(8, c.maxImages());
        assertEquals(Duration.ofHours(24), c.outputTtl());
        assertFalse(c.devMode());
    }

    @Test
    void the_views_by_concern_carry_the_settings_they_name() {
        GatewayConfig c = from("PM_API_KEYS", "acme:0123456789abcdef0123", "PM_MAX_BODY_BYTES", "9000000",
                "PM_MAX_IMAGE_BYTES", "3000000", "PM_MAX_IMAGE_PIXELS", "4000000", "PM_MAX_IMAGES", "3",
                "PM_HTTP_HOST", "127.0.0.2", "PM_HTTP_PORT", "18123", "PM_MANAGEMENT_PORT", "18124");
        assertEquals(new PhotoLimits(9_000_000, 3_000_000, 4_000_000, 3), c.photos());
        assertEquals(new Listeners("127.0.0.2", 18123, c.httpInstances(), 18124), c.listeners());
    }

    @Test
    void without_keys_the_gateway_refuses_to_start_unless_in_dev_mode() {
        ConfigException e = assertThrows(ConfigException.class, () -> from());
        assertTrue(e.getMessage().contains("PM_API_KEYS"));
        assertTrue(from("PM_DEV_MODE", "true").devMode());
    }

    @Test
    void dev_mode_is_only_allowed_on_a_loopback_host() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> from("PM_DEV_MODE", "true", "PM_HTTP_HOST", "0.0.0.0"));
        assertTrue(e.getMessage().contains("loopback"), e.getMessage());
        assertThrows(ConfigException.class, () -> from("PM_DEV_MODE", "true", "PM_HTTP_HOST", "gateway.example.com"));
        assertTrue(from("PM_DEV_MODE", "true", "PM_HTTP_HOST", "::1").devMode());
        assertTrue(from("PM_DEV_MODE", "true", "PM_HTTP_HOST", "localhost").devMode());
    }

    @Test
    void limits_out_of_range_name_their_setting() {
        assertTrue(assertThrows(ConfigException.class, () -> from("PM_DEV_MODE", "true", "PM_MAX_IMAGES", "9"))
                .getMessage().contains("PM_MAX_IMAGES"));
        assertTrue(assertThrows(ConfigException.class, () -> from("PM_DEV_MODE", "true", "PM_RATE_LIMIT_PER_MINUTE", "0"))
                .getMessage().contains("PM_RATE_LIMIT_PER_MINUTE"));
        assertTrue(assertThrows(ConfigException.class, () -> from("PM_DEV_MODE", "true", "PM_HTTP_PORT", "70000"))
                .getMessage().contains("PM_HTTP_PORT"));
        assertTrue(assertThrows(ConfigException.class, () -> from("PM_DEV_MODE", "true",
                "PM_MAX_BODY_BYTES", "2000000", "PM_MAX_IMAGE_BYTES", "3000000")).getMessage().contains("PM_MAX_BODY_BYTES"));
        assertTrue(assertThrows(ConfigException.class, () -> from("PM_DEV_MODE", "true",
                "PM_MAX_BODY_BYTES", "3000000000")).getMessage().contains("PM_MAX_BODY_BYTES"));
    }

    @Test
    void the_config_never_shows_the_keys() {
        GatewayConfig c = from("PM_API_KEYS", "acme:super-secret-key-123456");
        assertFalse(c.toString().contains("super-secret"), c.toString());
    }

    @Test
    void protective_limits_have_documented_defaults_and_read_their_settings() {
        GatewayConfig c = from("PM_API_KEYS", "acme:0123456789abcdef0123");
        long quarterHeap = Runtime.getRuntime().maxMemory() / 4;
        assertEquals(Math.max(16L << 20, quarterHeap), c.limits().bodyBudgetBytes());
        assertEquals(Duration.ofSeconds(60), c.limits().bodyTimeout());
        assertEquals(8, c.limits().http2MaxStreams());
        assertEquals(16 * 1024, c.limits().maxHeaderBytes());
        assertEquals(50, c.limits().streamsPerTenant());
        assertEquals(2000, c.limits().streamsPerProcess());
        assertEquals(100, c.limits().identitiesPerTenant());
        assertEquals(10, c.limits().replaysPerMinute());
        assertEquals(9090, c.managementPort());
        GatewayConfig set = from("PM_API_KEYS", "acme:0123456789abcdef0123", "PM_BODY_BUDGET_BYTES", "200000000",
                "PM_BODY_TIMEOUT_SECONDS", "7", "PM_HTTP2_MAX_STREAMS", "3", "PM_SSE_MAX_PER_TENANT", "4",
                "PM_MAX_IDENTITIES", "5", "PM_MANAGEMENT_PORT", "9191", "PM_DECODE_BUDGET_BYTES", "50000000");
        assertEquals(200_000_000L, set.limits().bodyBudgetBytes());
        assertEquals(Duration.ofSeconds(7), set.limits().bodyTimeout());
        assertEquals(3, set.limits().http2MaxStreams());
        assertEquals(4, set.limits().streamsPerTenant());
        assertEquals(5, set.limits().identitiesPerTenant());
        assertEquals(9191, set.managementPort());
        assertEquals(50_000_000L, set.limits().decodeBudgetBytes());
    }

    @Test
    void the_management_port_takes_any_free_port_with_the_api_in_tests_and_dev_mode() {
        assertEquals(0, from("PM_API_KEYS", "acme:0123456789abcdef0123", "PM_HTTP_PORT", "0").managementPort());
        assertEquals(0, from("PM_DEV_MODE", "true").managementPort());
        ConfigException same = assertThrows(ConfigException.class, () -> from("PM_API_KEYS",
                "acme:0123456789abcdef0123", "PM_MANAGEMENT_PORT", "8080"));
        assertTrue(same.getMessage().contains("PM_MANAGEMENT_PORT"), same.getMessage());
    }

    @Test
    void a_body_limit_larger_than_the_body_budget_is_refused_with_both_settings_named() {
        ConfigException e = assertThrows(ConfigException.class, () -> from("PM_API_KEYS",
                "acme:0123456789abcdef0123", "PM_MAX_BODY_BYTES", Long.toString(64L << 20), "PM_BODY_BUDGET_BYTES",
                Long.toString(32L << 20)));
        assertTrue(e.getMessage().contains("PM_MAX_BODY_BYTES") && e.getMessage().contains("PM_BODY_BUDGET_BYTES"),
                e.getMessage());
        assertThrows(ConfigException.class, () -> from("PM_API_KEYS", "acme:0123456789abcdef0123",
                "PM_MAX_IDENTITIES", "5000"));
    }
}
