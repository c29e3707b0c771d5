package io.photomaker.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.gateway.support.ApiClient;
import io.photomaker.gateway.support.TestGateway;
import io.photomaker.gateway.support.TestImages;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AuthAndTenancyTest {
    static final String ALICE = TestGateway.tenant("alice");
    static final String BOB = TestGateway.tenant("bob");
    static TestGateway gw;
    static ApiClient api;
    static String aliceJob;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(TestGateway.config(1000, 1000, ALICE, BOB));
        api = gw.client();
        aliceJob = api.submit(TestGateway.keyOf(ALICE), TestGateway.GOOD_REQUEST, TestImages.png(64, 64, 21))
                .json().get("id").asText();
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void a_request_without_a_key_is_unauthorized_with_a_json_error() {
        ApiClient.Response r = api.get("/v1/jobs", null);
        assertEquals(401, r.status());
        assertEquals("unauthorized", r.errorType());
        assertEquals("Bearer", r.header("WWW-Authenticate"));
    }

    @Test
    void a_wrong_key_is_unauthorized() {
        assertEquals(401, api.get("/v1/jobs", "key-nobody-0123456789abcdef").status());
        assertEquals(401, api.send("GET", "/v1/jobs", null, null, null, Map.of("Authorization", "Basic YTpi")).status());
    }

    @Test
    void a_submission_without_a_key_is_refused_before_its_body_is_read() {
        ApiClient.Response r = api.submit(null, TestGateway.GOOD_REQUEST, TestImages.png(64, 64, 22));
        assertEquals(401, r.status());
        assertEquals("unauthorized", r.errorType());
    }

    @Test
    void the_key_may_come_as_bearer_or_as_x_api_key() {
        assertEquals(200, api.get("/v1/jobs/" + aliceJob, TestGateway.keyOf(ALICE)).status());
        ApiClient.Response r = api.send("GET", "/v1/jobs/" + aliceJob, null, null, null,
                Map.of("X-API-Key", TestGateway.keyOf(ALICE)));
        assertEquals(200, r.status(), r.toString());
    }

    @Test
    void another_tenants_job_is_not_found() {
        String bob = TestGateway.keyOf(BOB);
        assertEquals(404, api.get("/v1/jobs/" + aliceJob, bob).status());
        assertEquals("not_found", api.get("/v1/jobs/" + aliceJob, bob).errorType());
        assertEquals(404, api.post("/v1/jobs/" + aliceJob + "/cancel", bob).status());
        assertEquals(404, api.delete("/v1/jobs/" + aliceJob + "/data", bob).status());
        assertEquals(404, api.get("/v1/jobs/" + aliceJob + "/outputs/0", bob).status());
    }

    @Test
    void a_tenant_lists_only_its_own_jobs() {
        api.submit(TestGateway.keyOf(BOB), TestGateway.GOOD_REQUEST, TestImages.png(64, 64, 23));
        gw.awaitRecord(aliceJob, r -> true);
        var aliceList = api.get("/v1/jobs", TestGateway.keyOf(ALICE)).json().get("data");
        assertTrue(aliceList.size() >= 1);
        aliceList.forEach(j -> assertTrue(!j.get("id").asText().isEmpty()));
        var bobList = api.get("/v1/jobs", TestGateway.keyOf(BOB)).json().get("data");
        bobList.forEach(j -> assertTrue(!j.get("id").asText().equals(aliceJob), "bob sees alice's job"));
    }

    @Test
    void health_readiness_metrics_and_the_document_need_no_key() {
        assertEquals(200, api.get("/healthz", null).status());
        assertEquals(200, gw.management().get("/readyz", null).status());
        assertEquals(200, gw.management().get("/metrics", null).status());
        assertEquals(200, api.get("/openapi.json", null).status());
        assertEquals(200, api.get("/", null).status());
    }
}
