package io.photomaker.gateway.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.gateway.support.ApiClient;
import io.photomaker.gateway.support.TestGateway;
import io.photomaker.gateway.support.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Per-tenant rate limit and concurrent-job quota over HTTP (one gateway, a tenant per limit). */
class LimitsTest {
    static final String HASTY = TestGateway.tenant("hasty");
    static final String BUSY = TestGateway.tenant("busy");
    static final String NOISY = TestGateway.tenant("noisy");
    static final String CALM = TestGateway.tenant("calm");
    static TestGateway rateGw;
    static TestGateway quotaGw;

    @BeforeAll
    static void start() {
        rateGw = TestGateway.start(TestGateway.config(3, 1000, HASTY, NOISY, CALM));
        quotaGw = TestGateway.start(TestGateway.config(1000, 2, BUSY));
    }

    @AfterAll
    static void stop() {
        rateGw.close();
        quotaGw.close();
    }

    @Test
    void a_tenant_over_its_rate_limit_gets_429_rate_limited_with_retry_after() {
        ApiClient api = rateGw.client();
        String key = TestGateway.keyOf(HASTY);
        for (int i = 0; i < 3; i++) {
            assertEquals(202, api.submit(key, TestGateway.GOOD_REQUEST, TestImages.png(64, 64, 30 + i)).status());
        }
        ApiClient.Response r = api.submit(key, TestGateway.GOOD_REQUEST, TestImages.png(64, 64, 39));
        assertEquals(429, r.status(), r.toString());
        assertEquals("rate_limited", r.errorType());
        int retry = Integer.parseInt(r.header("Retry-After"));
        assertTrue(retry >= 1 && retry <= 20, "Retry-After " + retry);
    }

    @Test
    void one_tenants_rate_limit_does_not_touch_another_tenant() {
        ApiClient api = rateGw.client();
        for (int i = 0; i < 5; i++) {
            api.submit(TestGateway.keyOf(NOISY), TestGateway.GOOD_REQUEST, TestImages.png(64, 64, 40 + i));
        }
        assertEquals(429, api.submit(TestGateway.keyOf(NOISY), TestGateway.GOOD_REQUEST,
                TestImages.png(64, 64, 48)).status());
        assertEquals(202, api.submit(TestGateway.keyOf(CALM), TestGateway.GOOD_REQUEST,
                TestImages.png(64, 64, 49)).status());
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
        assertEquals(202, api.submit(key, TestGateway.GOOD_REQUEST, TestImages.png(64, 64, 54)).status());
    }
}
