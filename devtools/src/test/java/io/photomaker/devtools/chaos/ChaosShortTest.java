package io.photomaker.devtools.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Short variants of the chaos runs (separate gateway, worker and Kafka JVMs), small enough for CI.
 * The full runs are {@code ./photomaker chaos workers|broker|s3}.
 */
class ChaosShortTest {
    private static ChaosRun.Report run(ChaosRun.Scenario scenario, int jobs, int workers, int outageSeconds)
            throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        ChaosRun.Options opt = new ChaosRun.Options(scenario, jobs, workers, Duration.ofSeconds(outageSeconds),
                Duration.ofSeconds(6), Duration.ofSeconds(240), 11);
        ChaosRun.Report report;
        try (ChaosRun r = new ChaosRun(opt, new PrintStream(log, true))) {
            report = r.run();
        }
        System.out.println(log);
        System.out.println(scenario + ": " + report.line());
        return report;
    }

    @Test
    void workers_killed_at_random_lose_and_duplicate_no_job() throws Exception {
        ChaosRun.Report r = run(ChaosRun.Scenario.WORKERS, 24, 2, 0);
        assertEquals(24, r.accepted());
        assertEquals(0, r.lost(), r.explained());
        assertEquals(0, r.duplicated(), r.explained());
        assertEquals(r.accepted(), r.succeeded() + r.failed(), r.explained());
        assertTrue(r.kills() > 0, "no worker was killed");
    }

    @Test
    void a_stopped_broker_loses_no_accepted_job_and_refuses_with_retry_after() throws Exception {
        ChaosRun.Report r = run(ChaosRun.Scenario.BROKER, 24, 2, 20);
        assertEquals(0, r.lost(), r.explained());
        assertEquals(0, r.duplicated(), r.explained());
        assertEquals(0, r.rejectedWithoutRetryAfter(), "every refusal carries Retry-After");
        assertTrue(r.rejected() > 0, "the outage outlasted the gateway's wait for Kafka, so some submissions were refused");
        assertEquals(r.accepted(), r.succeeded() + r.failed(), r.explained());
    }

    @Test
    void an_unreachable_object_store_leaves_no_job_running() throws Exception {
        ChaosRun.Report r = run(ChaosRun.Scenario.S3, 24, 2, 12);
        assertEquals(0, r.lost(), r.explained());
        assertEquals(0, r.duplicated(), r.explained());
        assertEquals(0, r.rejectedWithoutRetryAfter(), "every refusal carries Retry-After");
        assertEquals(r.accepted(), r.succeeded() + r.failed(), r.explained());
    }
}
