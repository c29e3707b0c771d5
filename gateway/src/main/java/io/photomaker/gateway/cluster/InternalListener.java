package io.photomaker.gateway.cluster;

import io.photomaker.common.config.ConfigException;
import io.photomaker.common.config.Settings;
import io.photomaker.gateway.settings.GatewaySettings;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The listener gateways use to ask each other for the jobs whose state partitions they own: a port of its
 * own that client API keys never reach (only {@code /internal/...} is served there), advertised to the other
 * gateways through the state processor's {@code application.server}.
 *
 * @param host bind address (PM_INTERNAL_HOST, default PM_HTTP_HOST)
 * @param port bind port (PM_INTERNAL_PORT, default 8081; 0 = any free port, the default when PM_HTTP_PORT is 0)
 * @param advertisedHost the address other gateways reach this one at (PM_INTERNAL_ADVERTISED_HOST; default the
 *                       bind address, or this machine's address when binding to all interfaces)
 * @param token shared secret every internal request must present as {@code Authorization: Bearer}
 *              (PM_INTERNAL_TOKEN); required unless the listener is on a loopback address
 */
public record InternalListener(String host, int port, String advertisedHost, String token) {
    /** Shortest internal token accepted. */
    public static final int MIN_TOKEN_LENGTH = 16;

    public InternalListener {
        if (host == null || host.isBlank()) {
            throw new ConfigException("PM_INTERNAL_HOST must not be empty");
        }
        if (port < 0 || port > 65_535) {
            throw new ConfigException("PM_INTERNAL_PORT must be in 0..65535, was " + port);
        }
        token = token == null ? "" : token.trim();
        if (!token.isEmpty() && token.length() < MIN_TOKEN_LENGTH) {
            throw new ConfigException("PM_INTERNAL_TOKEN must be at least " + MIN_TOKEN_LENGTH + " characters");
        }
        if (advertisedHost == null || advertisedHost.isBlank()) {
            advertisedHost = defaultAdvertised(host);
        }
    }

    /** Refuses a listener other machines can reach without a token (checked after the public listener's rules). */
    public void requireTokenUnlessLoopback() {
        if (token.isEmpty() && !isLoopback(host)) {
            throw new ConfigException("PM_INTERNAL_TOKEN is required when the internal listener (PM_INTERNAL_HOST="
                    + host + ") is reachable from other machines");
        }
    }

    /** Reads PM_INTERNAL_*; {@code httpHost} and {@code httpPort} are the public listener's. */
    public static InternalListener from(Settings s, String httpHost, int httpPort) {
        return new InternalListener(
                s.string(GatewaySettings.INTERNAL_HOST, httpHost),
                s.integer(GatewaySettings.INTERNAL_PORT, httpPort == 0 ? 0 : 8081),
                s.string(GatewaySettings.INTERNAL_ADVERTISED_HOST),
                s.string(GatewaySettings.INTERNAL_TOKEN, ""));
    }

    private static String defaultAdvertised(String host) {
        if (!host.equals("0.0.0.0") && !host.equals("::") && !host.equals("[::]")) {
            return host;
        }
        try {
            return InetAddress.getLocalHost().getHostAddress();
        } catch (UnknownHostException e) {
            throw new ConfigException("PM_INTERNAL_ADVERTISED_HOST must be set: this machine's address is unknown");
        }
    }

    static boolean isLoopback(String host) {
        String h = host.trim();
        return h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("[::1]");
    }
}
