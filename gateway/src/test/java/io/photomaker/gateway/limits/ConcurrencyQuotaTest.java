package io.photomaker.gateway.limits;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConcurrencyQuotaTest {
    private final Map<String, Integer> active = new HashMap<>();
    private final Set<String> known = new HashSet<>();
    private final AtomicLong clock = new AtomicLong(0);
    private final ConcurrencyQuota quota = new ConcurrencyQuota(2, t -> active.getOrDefault(t, 0), known::contains,
            clock::get);

    @Test
    void submissions_in_flight_count_against_the_cap() {
        assertNotNull(quota.tryReserve("a"));
        assertNotNull(quota.tryReserve("a"));
        assertNull(quota.tryReserve("a"));
        assertNotNull(quota.tryReserve("b"));
    }

    @Test
    void a_released_slot_is_free_again() {
        quota.tryReserve("a").release();
        assertNotNull(quota.tryReserve("a"));
        assertNotNull(quota.tryReserve("a"));
    }

    @Test
    void an_accepted_job_counts_until_the_view_shows_it_then_the_view_counts_it() {
        quota.tryReserve("a").commit("job1");
        quota.tryReserve("a").commit("job2");
        assertNull(quota.tryReserve("a"));
        active.put("a", 1);
        quota.seen("a", "job1");
        quota.seen("a", "job2");
        assertNotNull(quota.tryReserve("a"), "job2 finished in the view");
    }

    @Test
    void an_accepted_job_the_view_never_shows_stops_counting_after_a_minute() {
        quota.tryReserve("a").commit("job1");
        quota.tryReserve("a").commit("job2");
        assertNull(quota.tryReserve("a"));
        clock.addAndGet(61_000);
        assertNotNull(quota.tryReserve("a"));
    }

    @Test
    void a_commit_after_the_verdict_arrived_is_not_counted_twice() {
        ConcurrencyQuota.Reservation r = quota.tryReserve("a");
        known.add("job1");
        active.put("a", 1);
        r.commit("job1");
        assertNotNull(quota.tryReserve("a"));
    }
}
