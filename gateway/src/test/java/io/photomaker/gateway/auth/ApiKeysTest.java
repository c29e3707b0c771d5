package io.photomaker.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.common.config.ConfigException;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ApiKeysTest {
    @Test
    void each_key_maps_to_its_tenant() {
        ApiKeys keys = ApiKeys.parse("acme:key-acme-0123456789, beta:key-beta-0123456789,acme:key-acme-second-01");
        assertEquals(Optional.of("acme"), keys.tenantFor("key-acme-0123456789"));
        assertEquals(Optional.of("acme"), keys.tenantFor("key-acme-second-01"));
        assertEquals(Optional.of("beta"), keys.tenantFor("key-beta-0123456789"));
        assertEquals(3, keys.size());
    }

    @Test
    void unknown_empty_or_prefix_keys_match_no_tenant() {
        ApiKeys keys = ApiKeys.parse("acme:key-acme-0123456789");
        assertTrue(keys.tenantFor("key-acme-012345678").isEmpty());
        assertTrue(keys.tenantFor("").isEmpty());
        assertTrue(keys.tenantFor(null).isEmpty());
        assertTrue(keys.tenantFor("x".repeat(10_000)).isEmpty());
    }

    @Test
    void malformed_entries_short_keys_and_duplicates_are_configuration_errors() {
        assertThrows(ConfigException.class, () -> ApiKeys.parse("acme"));
        assertThrows(ConfigException.class, () -> ApiKeys.parse("acme:short"));
        assertThrows(ConfigException.class, () -> ApiKeys.parse("Bad Tenant:key-0123456789abcdef"));
        ConfigException dup = assertThrows(ConfigException.class,
                () -> ApiKeys.parse("a:key-0123456789abcdef,b:key-0123456789abcdef"));
        assertTrue(dup.getMessage().contains("same key"));
    }
}
