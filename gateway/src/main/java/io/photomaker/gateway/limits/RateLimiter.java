package io.photomaker.gateway.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Per-tenant token buckets: {@code perMinute} tokens refill evenly over a minute and a bucket holds at
 * most {@code perMinute}, so a quiet tenant may burst up to a minute's worth. Thread-safe.
 */
public final class RateLimiter {
    private static final long MINUTE_NANOS = 60_000_000_000L;

    private final int perMinute;
    private final LongSupplier clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(int perMinute) {
        this(perMinute, System::nanoTime);
    }

    /** With an explicit nanosecond clock, for tests. */
    public RateLimiter(int perMinute, LongSupplier nanoClock) {
        if (perMinute < 1) {
            throw new IllegalArgumentException("perMinute must be positive");
        }
        this.perMinute = perMinute;
        this.clock = nanoClock;
    }

    /** Takes a token for {@code tenant}; returns 0 when granted, else the seconds until one is available (≥ 1). */
    public long tryAcquire(String tenant) {
        long now = clock.getAsLong();
        Bucket b = buckets.computeIfAbsent(tenant, t -> new Bucket(perMinute, now));
        return b.take(now, perMinute);
    }

    private static final class Bucket {
        private double tokens;
        private long updated;

        Bucket(int capacity, long now) {
            this.tokens = capacity;
            this.updated = now;
        }

        synchronized long take(long now, int perMinute) {
            double refill = (now - updated) * (double) perMinute / MINUTE_NANOS;
            tokens = Math.min(perMinute, tokens + Math.max(0, refill));
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
