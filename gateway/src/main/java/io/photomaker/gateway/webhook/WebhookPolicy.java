package io.photomaker.gateway.webhook;

import io.photomaker.common.config.ConfigException;
import io.photomaker.common.config.Settings;
import io.photomaker.gateway.settings.GatewaySettings;
import java.time.Duration;

/**
 * How one gateway signs webhooks and how much delivery work it takes on at once. Deliveries of one tenant beyond
 * {@code maxInFlightPerTenant} wait a moment in the retry topic instead of a delivery slot, so a tenant whose
 * receiver is slow or black-holed holds a few slots, never all of them.
 *
 * @param keys the server key(s) each tenant's secret is derived from
 * @param maxInFlight deliveries in progress on this gateway (PM_WEBHOOK_MAX_IN_FLIGHT)
 * @param maxInFlightPerTenant deliveries of one tenant in progress on this gateway (PM_WEBHOOK_MAX_IN_FLIGHT_PER_TENANT)
 * @param dnsTimeout longest wait for a receiver's host name to resolve (PM_WEBHOOK_DNS_TIMEOUT_SECONDS)
 */
public record WebhookPolicy(WebhookKeys keys, int maxInFlight, int maxInFlightPerTenant, Duration dnsTimeout) {
    public WebhookPolicy {
        if (keys == null) {
            throw new ConfigException("webhooks need signing keys");
        }
        if (maxInFlight < 1 || maxInFlightPerTenant < 1 || maxInFlightPerTenant > maxInFlight) {
            throw new ConfigException("PM_WEBHOOK_MAX_IN_FLIGHT_PER_TENANT must be in 1..PM_WEBHOOK_MAX_IN_FLIGHT");
        }
        if (dnsTimeout.isNegative() || dnsTimeout.isZero()) {
            throw new ConfigException("PM_WEBHOOK_DNS_TIMEOUT_SECONDS must be positive");
        }
    }

    public static WebhookPolicy from(Settings s) {
        return new WebhookPolicy(WebhookKeys.from(s),
                s.integer(GatewaySettings.WEBHOOK_MAX_IN_FLIGHT),
                s.integer(GatewaySettings.WEBHOOK_MAX_IN_FLIGHT_PER_TENANT),
                s.seconds(GatewaySettings.WEBHOOK_DNS_TIMEOUT_SECONDS));
    }

    /** The same limits with other keys. */
    public WebhookPolicy withKeys(WebhookKeys newKeys) {
        return new WebhookPolicy(newKeys, maxInFlight, maxInFlightPerTenant, dnsTimeout);
    }

    /** The same keys with other delivery limits. */
    public WebhookPolicy withLimits(int newMaxInFlight, int newPerTenant, Duration newDnsTimeout) {
        return new WebhookPolicy(keys, newMaxInFlight, newPerTenant, newDnsTimeout);
    }
}
