package io.photomaker.gateway.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.photomaker.gateway.support.ApiClient;
import io.photomaker.gateway.support.TestGateway;
import io.photomaker.gateway.support.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * When no gateway can name or read a job's partition (here: the only gateway's state processor has stopped),
 * GET, listing and readiness answer 503 with Retry-After instead of a wrong 404 or a page with holes.
 */
class UnavailableStateTest {
    private static final String TENANT = TestGateway.tenant("nostate");
    private static final String KEY = TestGateway.keyOf(TENANT);
    private static TestGateway gw;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(TestGateway.config(100_000, 100_000, TENANT));
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void with_nobody_to_read_a_partition_a_get_and_a_listing_are_503_with_retry_after() {
        String id = gw.client().submit(KEY, TestGateway.GOOD_REQUEST, TestImages.png(64, 64, 801)).json().get("id")
                .asText();
        assertEquals(200, gw.client().get("/v1/jobs/" + id, KEY).status());

        gw.gateway().services().processor().close();

        ApiClient.Response r = gw.client().get("/v1/jobs/" + id, KEY);
        assertEquals(503, r.status(), r.toString());
        assertEquals("state_unavailable", r.errorType());
        assertNotNull(r.header("Retry-After"));
        ApiClient.Response list = gw.client().get("/v1/jobs", KEY);
        assertEquals(503, list.status(), list.toString());
        assertNotNull(list.header("Retry-After"));
        ApiClient.Response ready = gw.management().get("/readyz", null);
        assertEquals(503, ready.status(), ready.toString());
    }
}
