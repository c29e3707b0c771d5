package io.photomaker.gateway.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.photomaker.common.job.JobIds;
import io.photomaker.common.job.JobStatus;
import io.photomaker.common.storage.ObjectKeys;
import io.photomaker.gateway.state.RecordArrivals;
import io.photomaker.gateway.support.ApiClient;
import io.photomaker.gateway.support.SharedInfra;
import io.photomaker.gateway.support.TestGateway;
import io.photomaker.gateway.support.TestImages;
import io.photomaker.testkit.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Cancel, delete data, output redirects and listing over HTTP. */
class JobActionsTest {
    static final String TENANT = TestGateway.tenant("actions");
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

    private static String submit(long seed) {
        ApiClient.Response r = api.submit(KEY, TestGateway.GOOD_REQUEST, TestImages.png(64, 64, seed));
        assertEquals(202, r.status(), r.toString());
        return r.json().get("id").asText();
    }

    @Test
    void cancelling_a_queued_job_answers_requested_and_the_job_ends_canceled() {
        String id = submit(70);
        ApiClient.Response r = api.post("/v1/jobs/" + id + "/cancel", KEY);
        assertEquals(202, r.status(), r.toString());
        assertEquals(id, r.json().get("id").asText());
        assertEquals("requested", r.json().get("cancel").asText());

        gw.awaitRecord(id, rec -> rec.status() == JobStatus.CANCELED);
        JsonNode job = api.get("/v1/jobs/" + id, KEY).json();
        assertEquals("canceled", job.get("status").asText());
        assertTrue(job.get("cancel_requested").asBoolean());
    }

    @Test
    void cancelling_a_finished_job_answers_already_completed() {
        String id = submit(71);
        gw.succeed(id, TestImages.png(64, 64, 72));
        gw.awaitRecord(id, rec -> rec.status().isTerminal());
        ApiClient.Response r = api.post("/v1/jobs/" + id + "/cancel", KEY);
        assertEquals(200, r.status(), r.toString());
        assertEquals("already_completed", r.json().get("cancel").asText());
    }

    @Test
    void cancelling_an_unknown_job_is_not_found() {
        String unknown = "job_00000000000000000000000000";
        ApiClient.Response r = api.post("/v1/jobs/" + unknown + "/cancel", KEY);
        assertEquals(404, r.status(), r.toString());
        assertEquals("not_found", r.errorType());
    }

    @Test
    void a_malformed_job_id_is_an_invalid_parameter() {
        ApiClient.Response r = api.get("/v1/jobs/not-a-job", KEY);
        assertEquals(400, r.status(), r.toString());
        assertEquals("invalid_parameter", r.errorType());
        assertEquals("id", r.json().at("/error/field").asText());
    }

    @Test
    void a_well_formed_id_nobody_created_is_not_found_after_waiting_for_it_to_appear() throws Exception {
        String fresh = JobIds.newJobId();
        RecordArrivals arrivals = gw.gateway().services().processor().arrivals();
        CompletableFuture<ApiClient.Response> pending = CompletableFuture.supplyAsync(() -> api.get("/v1/jobs/" + fresh, KEY));
        Await.until("the GET to wait for the just-created id", Duration.ofSeconds(30), () -> arrivals.waiting() == 1);
        ApiClient.Response r = pending.get(60, TimeUnit.SECONDS);
        assertEquals(404, r.status());
        assertEquals(0, arrivals.waiting(), "the waiter must be removed");
    }

    @Test
    void deleting_data_removes_photos_and_outputs_now_and_marks_the_job() throws Exception {
        String id = submit(73);
        gw.succeed(id, TestImages.png(64, 64, 74));
        gw.awaitRecord(id, rec -> rec.status().isTerminal());
        assertFalse(SharedInfra.get().store().list(ObjectKeys.inputPrefix(id)).get(10, TimeUnit.SECONDS).isEmpty());

        ApiClient.Response r = api.delete("/v1/jobs/" + id + "/data", KEY);
        assertEquals(204, r.status(), r.toString());
        assertTrue(SharedInfra.get().store().list(ObjectKeys.inputPrefix(id)).get(10, TimeUnit.SECONDS).isEmpty());
        assertTrue(SharedInfra.get().store().list(ObjectKeys.outputPrefix(id)).get(10, TimeUnit.SECONDS).isEmpty());

        gw.awaitRecord(id, rec -> rec.dataDeleted());
        JsonNode job = api.get("/v1/jobs/" + id, KEY).json();
        assertTrue(job.get("data_deleted").asBoolean());
        assertEquals(0, job.get("outputs").size());
        ApiClient.Response out = api.get("/v1/jobs/" + id + "/outputs/0", KEY);
        assertEquals(410, out.status(), out.toString());
        assertEquals("output_deleted", out.errorType());
    }

    @Test
    void deleting_data_of_a_queued_job_cancels_it_first() {
        String id = submit(75);
        assertEquals(204, api.delete("/v1/jobs/" + id + "/data", KEY).status());
        var rec = gw.awaitRecord(id, x -> x.dataDeleted() && x.status().isTerminal());
        assertEquals(JobStatus.CANCELED, rec.status());
    }

    @Test
    void an_output_redirects_to_a_presigned_url_that_serves_the_image() throws Exception {
        String id = submit(76);
        byte[] png = TestImages.png(64, 64, 77);
        gw.succeed(id, png);
        gw.awaitRecord(id, rec -> rec.status().isTerminal());

        ApiClient.Response r = api.get("/v1/jobs/" + id + "/outputs/0", KEY);
        assertEquals(302, r.status(), r.toString());
        String location = r.header("Location");
        assertTrue(location.contains("X-Amz-Expires=300"), location);
        HttpResponse<byte[]> fetched = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(location))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, fetched.statusCode());
        assertArrayEquals(png, fetched.body());
    }

    @Test
    void an_output_index_past_the_last_output_is_not_found() {
        String id = submit(78);
        gw.succeed(id, TestImages.png(64, 64, 79));
        gw.awaitRecord(id, rec -> rec.status().isTerminal());
        assertEquals(404, api.get("/v1/jobs/" + id + "/outputs/1", KEY).status());
    }

    @Test
    void an_output_of_an_unfinished_job_is_not_ready() {
        String id = submit(80);
        ApiClient.Response r = api.get("/v1/jobs/" + id + "/outputs/0", KEY);
        assertEquals(404, r.status());
        assertEquals("output_not_ready", r.errorType());
    }

    @Test
    void the_list_pages_newest_first_and_filters_by_status() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(submit(90 + i));
        }
        ids.forEach(id -> gw.awaitRecord(id, r -> true));
        gw.succeed(ids.get(4), TestImages.png(64, 64, 99));
        gw.awaitRecord(ids.get(4), r -> r.status().isTerminal());

        Set<String> seen = new HashSet<>();
        String cursor = null;
        String previous = null;
        do {
            ApiClient.Response page = api.get("/v1/jobs?limit=2" + (cursor == null ? "" : "&cursor=" + cursor), KEY);
            assertEquals(200, page.status(), page.toString());
            JsonNode data = page.json().get("data");
            assertTrue(data.size() <= 2);
            for (JsonNode j : data) {
                String id = j.get("id").asText();
                if (previous != null) {
                    assertTrue(id.compareTo(previous) < 0, "newest first");
                }
                previous = id;
                assertTrue(seen.add(id), "no job twice");
            }
            JsonNode next = page.json().get("next_cursor");
            cursor = next.isNull() ? null : next.asText();
        } while (cursor != null);
        assertTrue(seen.containsAll(ids));

        JsonNode succeeded = api.get("/v1/jobs?status=succeeded&limit=100", KEY).json().get("data");
        Set<String> done = new HashSet<>();
        succeeded.forEach(j -> {
            assertEquals("succeeded", j.get("status").asText());
            done.add(j.get("id").asText());
        });
        assertTrue(done.contains(ids.get(4)));
        assertFalse(done.contains(ids.get(0)));
    }

    @Test
    void list_parameters_out_of_range_are_invalid_parameters() {
        assertEquals("invalid_parameter", api.get("/v1/jobs?limit=500", KEY).errorType());
        assertEquals("invalid_parameter", api.get("/v1/jobs?status=sleeping", KEY).errorType());
        assertEquals("invalid_cursor", api.get("/v1/jobs?cursor=bm9wZQ", KEY).errorType());
    }

    @Test
    void a_worker_failure_reaches_the_client_as_its_type_and_a_message_without_internals() {
        String id = submit(79);
        gw.fail(id, "storage_unavailable", "cannot get inputs/" + id + "/0.png from http://minio.internal:9000/pm"
                + " (10.0.3.7:9000): java.net.ConnectException: refused");
        gw.awaitRecord(id, r -> r.status().isTerminal());
        JsonNode error = api.get("/v1/jobs/" + id, KEY).json().get("error");
        assertEquals("storage_unavailable", error.get("type").asText());
        String message = error.get("message").asText();
        for (String leak : List.of("inputs/", "minio", "10.0.3.7", "9000", "java.net", "ConnectException")) {
            assertFalse(message.contains(leak), leak + " in " + message);
        }
    }
}
