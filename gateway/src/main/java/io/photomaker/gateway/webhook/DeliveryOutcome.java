package io.photomaker.gateway.webhook;

import java.util.Locale;

/**
 * How one try of a webhook ended, as the delivery log names it ({@link #wireName()}) and as the
 * {@code outcome} label of {@code photomaker_webhook_deliveries_total} names it ({@link #metricLabel()}).
 */
public enum DeliveryOutcome {
    /** The receiver answered 2xx. */
    DELIVERED,
    /** The try failed and another is scheduled. */
    RETRY,
    /** The try failed and it was the last one allowed. */
    EXHAUSTED,
    /** The receiver answered 410 Gone: no more automatic deliveries for the job. */
    DISABLED,
    /** The target address is not allowed (SSRF guard) or the URL is unusable. */
    REFUSED,
    /** Not sent because the job's webhooks were disabled earlier. */
    SKIPPED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The metric label: {@code success} for a 2xx answer (what the alert rules count), else the wire name. */
    public String metricLabel() {
        return this == DELIVERED ? "success" : wireName();
    }
}
