package io.photomaker.gateway.webhook;

import java.time.Duration;
import java.util.List;

/**
 * What the webhook dispatcher needs of the lifecycle settings (read and checked in {@code LifecycleConfig}).
 *
 * @param policy signing keys and delivery limits
 * @param allowPrivate deliver to loopback, private and link-local addresses (PM_WEBHOOK_ALLOW_PRIVATE)
 * @param maxAttempts attempts per delivery, the first included (PM_WEBHOOK_MAX_ATTEMPTS)
 * @param backoff retry delays after the 1st, 2nd, ... failed attempt; the last repeats
 * @param timeout how long one delivery may take (PM_WEBHOOK_TIMEOUT_SECONDS)
 */
public record DeliverySettings(WebhookPolicy policy, boolean allowPrivate, int maxAttempts, List<Duration> backoff,
                               Duration timeout) {
}
