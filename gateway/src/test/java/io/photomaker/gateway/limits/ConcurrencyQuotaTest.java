package io.photomaker.gateway.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConcurrencyQuotaTest {
    /** The cluster as the state processors report it: counts per tenant and a watermark per partition. */
    private static final class Counts implements UsageView {
        final Map<String, Long> unfinished = new HashMap<>();
        final Map<Integer, Long> watermarks = new HashMap<>();
        int gateways = 1;

        @Override
        public long unfinished(String tenant) {
            return unfinished.getOrDefault(tenant, 0L);
        }

        @Override
        public boolean counted(int partition, long offset) {
            return watermarks.getOrDefault(partition, -1L) >= offset;
        }

        @Override
        public int gateways() {
            return gateways;
        }
    }

    private final Counts cluster = new Counts();
    private final AtomicLong clock = new AtomicLong(0);
    private final ConcurrencyQuota quota = new ConcurrencyQuota(2, cluster, clock::get);

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
    void an_accepted_job_counts_here_until_the_cluster_counts_cover_its_event_then_counts_there() {
        quota.tryReserve("a").commit("job1", 0, 10);
        quota.tryReserve("a").commit("job2", 1, 20);
        assertNull(quota.tryReserve("a"));
        cluster.unfinished.put("a", 1L);
        cluster.watermarks.put(0, 15L);
        cluster.watermarks.put(1, 20L);
        assertNotNull(quota.tryReserve("a"), "both are counted by the cluster, and one of them has finished");
        assertNull(quota.tryReserve("a"));
    }

    @Test
    void a_watermark_below_the_event_leaves_the_job_counted_here() {
        quota.tryReserve("a").commit("job1", 0, 10);
        quota.tryReserve("a").commit("job2", 0, 11);
        cluster.watermarks.put(0, 10L);
        cluster.unfinished.put("a", 1L);
        assertNull(quota.tryReserve("a"), "job2's event is past the watermark: it still counts here");
    }

    @Test
    void an_accepted_job_the_counts_never_cover_stops_counting_after_a_minute() {
        quota.tryReserve("a").commit("job1", 0, 1);
        quota.tryReserve("a").commit("job2", 0, 2);
        assertNull(quota.tryReserve("a"));
        clock.addAndGet(61_000);
        assertNotNull(quota.tryReserve("a"));
    }

    @Test
    void a_commit_after_the_counts_covered_the_job_is_not_counted_twice() {
        ConcurrencyQuota.Reservation r = quota.tryReserve("a");
        cluster.watermarks.put(3, 7L);
        cluster.unfinished.put("a", 1L);
        r.commit("job1", 3, 7);
        assertNotNull(quota.tryReserve("a"));
    }

    @Test
    void with_two_gateways_each_admits_at_most_its_share_of_the_headroom_until_its_jobs_are_counted() {
        ConcurrencyQuota five = new ConcurrencyQuota(5, cluster, clock::get);
        cluster.gateways = 2;
        for (int i = 0; i < 3; i++) {
            five.tryReserve("a").commit("job" + i, 0, i);
        }
        assertNull(five.tryReserve("a"), "3 of 5 is this gateway's share (rounded up) while 2 gateways run");
        cluster.watermarks.put(0, 2L);
        cluster.unfinished.put("a", 3L);
        assertNotNull(five.tryReserve("a"), "once counted, a share of the 2 left is free");
        assertNull(five.tryReserve("a"));
    }

    @Test
    void a_share_rounds_up_so_some_headroom_always_admits_one_job() {
        assertEquals(3, ConcurrencyQuota.share(5, 2));
        assertEquals(1, ConcurrencyQuota.share(1, 3));
        assertEquals(0, ConcurrencyQuota.share(0, 2));
        assertEquals(0, ConcurrencyQuota.share(-1, 2));
    }
}
