package io.photomaker.gateway.limits;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.gateway.Fixtures;
import io.photomaker.gateway.support.TestGateway;
import io.photomaker.gateway.support.TestImages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rate limit and the concurrent-job quota hold for two gateway replicas together, not for each: bursts
 * sent to both at once are admitted within the configured limits plus the documented slack (R - 1 = 1 job for
 * the quota with two gateways; none for a rate whose per-gateway share is a whole token).
 */
class ClusterLimitsTest {
    private static final int RATE = 4;
    private static final int QUOTA = 4;
    private static final int GATEWAYS = 2;
    private static final String HASTY = TestGateway.tenant("hasty");
    private static final String BUSY = TestGateway.tenant("busy");
    private static final List<TestGateway> rateReplicas = new ArrayList<>();
    private static final List<TestGateway> quotaReplicas = new ArrayList<>();
    private static ExecutorService clients;

    @BeforeAll
    static void start() {
        clients = Executors.newFixedThreadPool(8);
    }

    @AfterAll
    static void stop() {
        clients.shutdownNow();
        rateReplicas.forEach(TestGateway::close);
        quotaReplicas.forEach(TestGateway::close);
    }

    /** Sends {@code n} submissions of {@code tenant} at once, alternating between the replicas; counts the 202s. */
    private static int burst(List<TestGateway> replicas, String tenant, int n, int seed) throws Exception {
        List<Future<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TestGateway via = replicas.get(i % replicas.size());
            int s = seed + i;
            answers.add(clients.submit(() -> via.client().submit(TestGateway.keyOf(tenant), TestGateway.GOOD_REQUEST,
                    TestImages.png(64, 64, s)).status()));
        }
        int accepted = 0;
        for (Future<Integer> a : answers) {
            int status = a.get(60, TimeUnit.SECONDS);
            assertTrue(status == 202 || status == 429, "status " + status);
            accepted += status == 202 ? 1 : 0;
        }
        return accepted;
    }

    @Test
    void two_replicas_together_admit_no_more_than_the_tenants_rate() throws Exception {
        var cfg = TestGateway.config(RATE, 1000, HASTY);
        for (int i = 0; i < GATEWAYS; i++) {
            rateReplicas.add(TestGateway.start(cfg));
        }
        TestGateway.awaitCluster(rateReplicas.toArray(TestGateway[]::new));

        int accepted = burst(rateReplicas, HASTY, 12, 500);

        assertTrue(accepted <= RATE, accepted + " submissions admitted in a burst at " + RATE + " a minute");
        assertTrue(accepted >= GATEWAYS, "each replica admits its share: " + accepted);
        rateReplicas.forEach(TestGateway::close);
        rateReplicas.clear();
    }

    @Test
    void two_replicas_together_hold_no_more_unfinished_jobs_than_the_quota_plus_one() throws Exception {
        var cfg = TestGateway.config(100_000, QUOTA, BUSY);
        for (int i = 0; i < GATEWAYS; i++) {
            quotaReplicas.add(TestGateway.start(cfg));
        }
        TestGateway.awaitCluster(quotaReplicas.toArray(TestGateway[]::new));

        int first = burst(quotaReplicas, BUSY, 12, 600);
        assertTrue(first >= 1 && first <= QUOTA + GATEWAYS - 1, first + " admitted in the first burst");
        for (TestGateway g : quotaReplicas) {
            Fixtures.await(Duration.ofSeconds(30), () -> g.gateway().services().usage().unfinished(BUSY) == first,
                    () -> "every replica to count the " + first + " admitted jobs");
        }
        int second = burst(quotaReplicas, BUSY, 12, 700);

        assertTrue(first + second <= QUOTA + GATEWAYS - 1, (first + second) + " unfinished jobs admitted with a quota of "
                + QUOTA + " on " + GATEWAYS + " replicas");
        assertTrue(first + second >= QUOTA, "once the first burst is counted the cluster fills up to the quota: "
                + (first + second));
    }
}
