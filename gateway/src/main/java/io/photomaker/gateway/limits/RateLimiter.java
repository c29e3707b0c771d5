package io.photomaker.gateway.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * Per-tenant token buckets holding the submission rate for the whole cluster: each of the R live gateways
 * refills at {@code perMinute / R} tokens a minute and holds at most that many (but at least one), so the
 * gateways together admit at most {@code perMinute} a minute plus a burst of {@code perMinute} (a quiet tenant
 * may burst up to a minute's worth), plus one per gateway when a share is below one token. A tenant whose
 * requests all reach one gateway gets that gateway's share: spread requests over the gateways (any load
 * balancer does). Thread-safe.
 */
public final class RateLimiter {
    private static final long MINUTE_NANOS = 60_000_000_000L;

    private final int perMinute;
    private final LongSupplier clock;
    private final IntSupplier gateways;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** A limiter for a gateway that is alone. */
    public RateLimiter(int perMinute) {
        this(perMinute, () -> 1, System::nanoTime);
    }

    /** With an explicit nanosecond clock, for tests. */
    public RateLimiter(int perMinute, LongSupplier nanoClock) {
        this(perMinute, () -> 1, nanoClock);
    }

    /** A limiter sharing {@code perMinute} with the other live gateways ({@code gateways} counts them all). */
    public RateLimiter(int perMinute, IntSupplier gateways, LongSupplier nanoClock) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("perMinute must be positive");
        }
        this.perMinute = perMinute;
        this.clock = nanoClock;
        this.gateways = gateways;
    }

    /** Takes a token for {@code tenant}; returns 0 when granted, else the seconds until one is available (≥ 1). */
    public long tryAcquire(String tenant) {
        long now = clock.getAsLong();
        double share = perMinute / (double) Math.max(1, gateways.getAsInt());
        Bucket b = buckets.computeIfAbsent(tenant, t -> new Bucket(Math.max(1.0, share), now));
        return b.take(now, share);
    }

    private static final class Bucket {
        private double tokens;
        private long updated;

        Bucket(double capacity, long now) {
            this.tokens = capacity;
            this.updated = now;
        }

        synchronized long take(long now, double perMinute) {
            double capacity = Math.max(1.0, perMinute);
            double refill = (now - updated) * perMinute / MINUTE_NANOS;
            tokens = Math.min(capacity, tokens + Math.max(0, refill));
            updated = now;
            if (tokens >= 1.0) {
                tokens -= 1.0;
                return 0;
            }
            double missing = 1.0 - tokens;
            return Math.max(1, (long) Math.ceil(missing * 60.0 / perMinute));
        }
    }
}
