package io.photomaker.gateway.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.gateway.Fixtures;
import io.photomaker.gateway.support.ApiClient;
import io.photomaker.gateway.support.TestGateway;
import io.photomaker.gateway.support.TestImages;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The per-tenant concurrent-job quota over HTTP, on a gateway running alone. */
class QuotaTest {
    static final String BUSY = TestGateway.tenant("busy");
    static TestGateway quotaGw;

    @BeforeAll
    static void start() {
        quotaGw = TestGateway.start(TestGateway.config(1000, 2, BUSY));
        // Limits are shared by the gateways alive together: wait until gateways of earlier tests have left.
        TestGateway.awaitCluster(quotaGw);
    }

    @AfterAll
    static void stop() {
        quotaGw.close();
    }

    @Test
    void a_tenant_at_its_concurrent_job_quota_gets_429_quota_exceeded_until_a_job_finishes() {
        ApiClient api = quotaGw.client();
        String key = TestGateway.keyOf(BUSY);
        String first = api.submit(key, TestGateway.GOOD_REQUEST, TestImages.png(64, 64, 50)).json().get("id").asText();
        assertEquals(202, api.submit(key, TestGateway.GOOD_REQUEST, TestImages.png(64, 64, 51)).status());

        ApiClient.Response r = api.submit(key, TestGateway.GOOD_REQUEST, TestImages.png(64, 64, 52));
        assertEquals(429, r.status(), r.toString());
        assertEquals("quota_exceeded", r.errorType());
        assertTrue(r.header("Retry-After") != null);

        quotaGw.succeed(first, TestImages.png(64, 64, 53));
        quotaGw.awaitRecord(first, rec -> rec.status().isTerminal());
        // The state processor publishes the tenant's count; this gateway admits once it has read it.
        Fixtures.await(Duration.ofSeconds(20), () -> quotaGw.gateway().services().usage().unfinished(BUSY) == 1,
                () -> "the finished job to leave the tenant's count");
        // Its own accepted jobs stay held here until the partition watermarks pass them (a quarter second
        // apart): a client honouring Retry-After is admitted soon, and meanwhile hears quota_exceeded only.
        List<ApiClient.Response> refused = new ArrayList<>();
        Fixtures.await(Duration.ofSeconds(20), () -> {
            ApiClient.Response again = api.submit(key, TestGateway.GOOD_REQUEST, TestImages.png(64, 64, 54));
            if (again.status() != 202) {
                refused.add(again);
                pace();
            }
            return again.status() == 202;
        }, () -> "a submission to be admitted after the job finished; refused: " + refused);
        for (ApiClient.Response no : refused) {
            assertEquals(429, no.status(), no.toString());
            assertEquals("quota_exceeded", no.errorType());
        }
    }

    /** Spaces retries like a client would, so they stay far below the tenant's rate limit. */
    private static void pace() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
