package io.photomaker.gateway.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.gateway.support.ApiClient;
import io.photomaker.gateway.support.TestGateway;
import io.photomaker.gateway.support.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Per-tenant rate limit over HTTP (one gateway, a tenant per case). Limits are shared by the gateways of a
 * cluster, so this class runs its gateway alone; see {@link QuotaTest} and {@link ClusterLimitsTest}.
 */
class LimitsTest {
    static final String HASTY = TestGateway.tenant("hasty");
    static final String NOISY = TestGateway.tenant("noisy");
    static final String CALM = TestGateway.tenant("calm");
    static TestGateway rateGw;

    @BeforeAll
    static void start() {
        rateGw = TestGateway.start(TestGateway.config(3, 1000, HASTY, NOISY, CALM));
        // Limits are shared by the gateways alive together: wait until gateways of earlier tests have left.
        TestGateway.awaitCluster(rateGw);
    }

    @AfterAll
    static void stop() {
        rateGw.close();
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
}
