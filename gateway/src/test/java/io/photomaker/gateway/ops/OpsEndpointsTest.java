package io.photomaker.gateway.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.gateway.support.ApiClient;
import io.photomaker.gateway.support.TestGateway;
import io.photomaker.gateway.support.TestImages;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OpsEndpointsTest {
    static final String TENANT = TestGateway.tenant("ops");
    static final String KEY = TestGateway.keyOf(TENANT);
    static TestGateway gw;
    static ApiClient api;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(TestGateway.config(1000, 1000, TENANT));
        api = gw.client();
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void healthz_says_the_process_is_up() {
        ApiClient.Response r = api.get("/healthz", null);
        assertEquals(200, r.status());
        assertEquals("ok", r.json().get("status").asText());
    }

    @Test
    void readyz_reports_kafka_and_the_object_store_up() {
        ApiClient.Response r = gw.management().get("/readyz", null);
        assertEquals(200, r.status(), r.toString());
        assertEquals("up", r.json().at("/checks/kafka").asText());
        assertEquals("up", r.json().at("/checks/object_store").asText());
    }

    @Test
    void metrics_expose_http_latency_histograms_and_the_job_counters() {
        String id = api.submit(KEY, TestGateway.GOOD_REQUEST, TestImages.png(64, 64, 111)).json().get("id").asText();
        gw.awaitRecord(id, r -> true);
        api.get("/v1/jobs/" + id, KEY);

        ApiClient.Response r = gw.management().get("/metrics", null);
        assertEquals(200, r.status());
        assertTrue(r.header("Content-Type").startsWith("text/plain"), r.header("Content-Type"));
        String text = r.text();
        assertTrue(text.contains("http_server_requests_seconds_bucket{"), "latency histogram");
        assertTrue(text.contains("route=\"/v1/jobs/:id\""), "route label");
        assertTrue(value(text, "photomaker_jobs_submitted_total") >= 1.0);
        assertTrue(value(text, "photomaker_queue_depth") >= 1.0, "the submitted job is queued");
        assertTrue(text.contains("photomaker_jobs_running"));
        assertFalse(text.contains(id), "no job ids in labels");
    }

    private static double value(String text, String name) {
        Matcher m = Pattern.compile("(?m)^" + name + "(?:\\{[^}]*})? ([0-9.eE+-]+)$").matcher(text);
        assertTrue(m.find(), name + " missing");
        return Double.parseDouble(m.group(1));
    }

    @Test
    void an_unknown_route_is_a_json_404() {
        ApiClient.Response r = api.get("/nope", null);
        assertEquals(404, r.status());
        assertEquals("not_found", r.errorType());
        assertEquals(404, api.get("/v1/nothing-here", KEY).status());
        assertEquals("not_found", api.get("/v1/nothing-here", KEY).errorType());
    }

    @Test
    void a_wrong_method_is_a_json_405_that_says_what_is_allowed() {
        ApiClient.Response r = api.send("PUT", "/v1/jobs", KEY, new byte[0], "application/json", Map.of());
        assertEquals(405, r.status(), r.toString());
        assertEquals("method_not_allowed", r.errorType());
        assertEquals("GET, POST", r.header("Allow"));
        assertEquals(405, api.send("DELETE", "/healthz", null, null, null, Map.of()).status());
    }

    @Test
    void the_web_page_and_the_document_are_served() {
        ApiClient.Response page = api.get("/", null);
        assertEquals(200, page.status());
        assertTrue(page.text().contains("PhotoMaker"));
        assertTrue(api.get("/openapi.json", null).json().has("paths"));
    }

    @Test
    void metrics_show_how_full_the_protective_budgets_are() {
        String text = gw.management().get("/metrics", null).text();
        for (String name : new String[] {"photomaker_body_budget_used_bytes", "photomaker_decode_budget_used_bytes",
            "photomaker_event_streams_open"}) {
            assertTrue(text.contains(name + " "), name);
        }
    }

    @Test
    void readiness_and_metrics_are_served_on_the_management_port_only() {
        assertEquals(404, api.get("/readyz", null).status());
        assertEquals(404, api.get("/metrics", null).status());
        assertEquals(200, gw.management().get("/healthz", null).status());
        assertEquals(404, gw.management().get("/v1/jobs", KEY).status(), "the API is not on the management port");
    }
}
