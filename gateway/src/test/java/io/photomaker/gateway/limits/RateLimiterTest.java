package io.photomaker.gateway.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);

    @Test
    void a_tenant_may_burst_a_minutes_worth_and_then_waits_for_refill() {
        RateLimiter limiter = new RateLimiter(6, now::get);
        for (int i = 0; i < 6; i++) {
            assertEquals(0, limiter.tryAcquire("a"));
        }
        assertEquals(10, limiter.tryAcquire("a"), "one token per 10 s");
        now.addAndGet(10_000_000_000L);
        assertEquals(0, limiter.tryAcquire("a"));
        assertTrue(limiter.tryAcquire("a") > 0);
    }

    @Test
    void buckets_are_per_tenant_and_never_exceed_their_capacity() {
        RateLimiter limiter = new RateLimiter(2, now::get);
        limiter.tryAcquire("a");
        limiter.tryAcquire("a");
        assertEquals(0, limiter.tryAcquire("b"));
        now.addAndGet(3_600_000_000_000L);
        assertEquals(0, limiter.tryAcquire("a"));
        assertEquals(0, limiter.tryAcquire("a"));
        assertTrue(limiter.tryAcquire("a") > 0);
    }
}
