package io.photomaker.gateway.submit;

import io.photomaker.common.errors.ErrorType;
import io.photomaker.gateway.http.ApiError;
import io.photomaker.gateway.kafka.EventSender;
import io.photomaker.gateway.limits.ConcurrencyQuota;
import io.photomaker.gateway.limits.RateLimiter;

/**
 * Whether a tenant may submit a job now, checked before its body is read: the cluster-wide submission rate, the
 * event log answering, and a place under the tenant's cap on unfinished jobs.
 */
public final class Admission {
    private final RateLimiter rate;
    private final int ratePerMinute;
    private final EventSender events;
    private final ConcurrencyQuota quota;

    /** @param ratePerMinute the configured rate, for the message of a refusal */
    public Admission(RateLimiter rate, int ratePerMinute, EventSender events, ConcurrencyQuota quota) {
        this.rate = rate;
        this.ratePerMinute = ratePerMinute;
        this.events = events;
        this.quota = quota;
    }

    /** Takes a token of {@code tenant}'s submission rate; refuses with 429 or 503 when it may not submit now. */
    public void checkRate(String tenant) {
        long retry = rate.tryAcquire(tenant);
        if (retry > 0) {
            throw ApiError.retryAfter(ErrorType.RATE_LIMITED, "tenant " + tenant + " may submit " + ratePerMinute
                    + " jobs per minute", (int) retry);
        }
        if (!events.available()) {
            throw EventSender.unavailable();
        }
    }

    /** A place for one more unfinished job of {@code tenant}; refuses with 429 when it has its maximum. */
    public ConcurrencyQuota.Reservation reserve(String tenant) {
        ConcurrencyQuota.Reservation slot = quota.tryReserve(tenant);
        if (slot == null) {
            throw ApiError.retryAfter(ErrorType.QUOTA_EXCEEDED, "tenant " + tenant + " already has " + quota.max()
                    + " unfinished jobs; wait for one to finish", 5);
        }
        return slot;
    }
}
