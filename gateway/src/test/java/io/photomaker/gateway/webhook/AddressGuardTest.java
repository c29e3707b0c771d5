package io.photomaker.gateway.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class AddressGuardTest {
    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.8.9.10", "10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.254",
            "192.168.1.1", "169.254.169.254", "169.254.0.1", "0.0.0.0", "0.1.2.3", "100.64.0.1", "224.0.0.1",
            "239.255.255.250", "255.255.255.255", "240.0.0.1", "::1", "::", "fc00::1", "fd12:3456::1", "fe80::1",
            "febf::1", "ff02::1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "2002:0a00:0001::1",
            "64:ff9b::7f00:1", "fec0::1"})
    void non_public_addresses_are_not_public(String literal) throws UnknownHostException {
        assertFalse(AddressGuard.isPublic(InetAddress.getByName(literal)), literal);
    }

    @ParameterizedTest
    @ValueSource(strings = {"93.184.216.34", "8.8.8.8", "172.32.0.1", "172.15.255.255", "100.128.0.1",
            "169.253.1.1", "192.169.0.1", "2606:4700::1111", "2a00:1450:4001::200e", "::ffff:93.184.216.34",
            "2002:5db8:d822::1"})
    void internet_addresses_are_public(String literal) throws UnknownHostException {
        assertTrue(AddressGuard.isPublic(InetAddress.getByName(literal)), literal);
    }

    private static AddressGuard.Resolver dns(Map<String, String[]> table) {
        return host -> {
            String[] addrs = table.get(host);
            if (addrs == null) {
                throw new UnknownHostException(host);
            }
            InetAddress[] out = new InetAddress[addrs.length];
            for (int i = 0; i < addrs.length; i++) {
                out[i] = InetAddress.getByName(addrs[i]);
            }
            return out;
        };
    }

    @Test
    void a_name_that_resolves_to_the_metadata_address_is_refused_after_dns_without_naming_the_address() {
        AddressGuard guard = new AddressGuard(false, dns(Map.of("hooks.example.com", new String[] {"169.254.169.254"})));
        AddressGuard.RefusedException e = assertThrows(AddressGuard.RefusedException.class,
                () -> guard.check("hooks.example.com"));
        assertTrue(e.getMessage().contains("hooks.example.com") && e.getMessage().contains("non-public"),
                e.getMessage());
        assertTrue(!e.getMessage().contains("169.254"), "the tenant must not learn what the name resolves to: "
                + e.getMessage());
    }

    @Test
    void a_name_with_one_private_address_among_public_ones_is_refused() {
        AddressGuard guard = new AddressGuard(false,
                dns(Map.of("mixed.example.com", new String[] {"93.184.216.34", "10.1.2.3"})));
        assertThrows(AddressGuard.RefusedException.class, () -> guard.check("mixed.example.com"));
    }

    @Test
    void a_public_name_resolves_to_the_address_to_connect_to() throws Exception {
        AddressGuard guard = new AddressGuard(false, dns(Map.of("hooks.example.com", new String[] {"93.184.216.34"})));
        assertEquals(InetAddress.getByName("93.184.216.34"), guard.check("hooks.example.com"));
    }

    @Test
    void private_targets_pass_only_when_allowed_and_unknown_names_are_refused() throws Exception {
        AddressGuard open = new AddressGuard(true, dns(Map.of("localhost", new String[] {"127.0.0.1"})));
        assertEquals(InetAddress.getByName("127.0.0.1"), open.check("localhost"));
        assertThrows(AddressGuard.RefusedException.class, () -> open.check("nowhere.invalid"));
        AddressGuard closed = new AddressGuard(false, dns(Map.of("localhost", new String[] {"127.0.0.1"})));
        assertThrows(AddressGuard.RefusedException.class, () -> closed.check("localhost"));
    }
}
