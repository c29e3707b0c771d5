package io.photomaker.gateway.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.photomaker.common.job.JobIds;
import io.photomaker.common.job.JobInput;
import io.photomaker.common.job.JobMessage;
import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.KafkaClients;
import io.photomaker.common.kafka.Topics;
import io.photomaker.common.state.JobRecord;
import io.photomaker.common.storage.ObjectKeys;
import io.photomaker.gateway.support.ApiClient;
import io.photomaker.gateway.support.SharedInfra;
import io.photomaker.gateway.support.TestGateway;
import io.photomaker.gateway.support.TestImages;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JobSubmissionTest {
    static final String TENANT = TestGateway.tenant("submit");
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
    void a_multipart_submission_stores_the_photos_and_is_accepted_with_links() throws Exception {
        byte[] png = TestImages.png(96, 80, 1);
        byte[] jpeg = TestImages.jpeg(90, 100, 2);
        ApiClient.Response r = api.submit(KEY, TestGateway.GOOD_REQUEST, png, jpeg);

        assertEquals(202, r.status(), r.toString());
        JsonNode body = r.json();
        String id = body.get("id").asText();
        assertTrue(JobIds.isWellFormed(id), id);
        assertEquals("queued", body.get("status").asText());
        assertEquals("/v1/jobs/" + id, body.at("/links/self").asText());
        assertEquals("/v1/jobs/" + id + "/events", body.at("/links/events").asText());
        assertEquals("/v1/jobs/" + id, r.header("Location"));
        assertArrayEquals(png, SharedInfra.get().store().get(ObjectKeys.input(id, 0, "png")).get(10, TimeUnit.SECONDS));
        assertArrayEquals(jpeg, SharedInfra.get().store().get(ObjectKeys.input(id, 1, "jpg")).get(10, TimeUnit.SECONDS));
    }

    @Test
    void the_work_item_on_the_queue_carries_the_photo_keys_digests_and_defaults() throws Exception {
        byte[] png = TestImages.png(64, 64, 3);
        String id = api.submit(KEY, "{\"prompt\":\"a photo of a man img\"}", png).json().get("id").asText();

        JobMessage job = readWorkItem(id);
        assertEquals(TENANT, job.tenant());
        JobInput in = job.inputs().get(0);
        assertEquals(ObjectKeys.input(id, 0, "png"), in.key());
        assertEquals(ImageVerifier.sha256(png), in.sha256());
        assertEquals("image/png", in.contentType());
        assertEquals(50, job.request().numSteps());
        assertEquals("euler", job.request().scheduler());
        assertNotNull(job.request().seed());
        assertEquals(JobIds.createdAt(id), job.submittedAt());
        assertEquals(1, job.attempt());
    }

    @Test
    void a_json_submission_with_data_uri_photos_is_accepted() {
        String json = "{\"prompt\":\"a photo of a girl img\",\"num_steps\":4,\"images\":[\""
                + TestImages.dataUri("image/png", TestImages.png(70, 70, 4)) + "\",\""
                + TestImages.dataUri("image/webp", TestImages.webpLossless()) + "\"]}";
        ApiClient.Response r = api.postJson("/v1/jobs", KEY, json, Map.of());
        assertEquals(202, r.status(), r.toString());
        String id = r.json().get("id").asText();
        JobRecord rec = gw.awaitRecord(id, x -> true);
        assertEquals(List.of("image/png", "image/webp"), rec.inputs().stream().map(JobInput::contentType).toList());
    }

    @Test
    void lossy_and_lossless_webp_photos_are_accepted() {
        ApiClient.Response r = api.submit(KEY, TestGateway.GOOD_REQUEST, TestImages.webpLossy(), TestImages.webpLossless());
        assertEquals(202, r.status(), r.toString());
    }

    @Test
    void a_queued_jobs_position_counts_the_work_items_ahead_of_it_in_its_partition() {
        Map<Integer, List<String>> byPartition = new java.util.TreeMap<>();
        for (int i = 0; i < 6; i++) {
            String id = api.submit(KEY, TestGateway.GOOD_REQUEST, TestImages.png(64, 64, 90 + i)).json().get("id").asText();
            JobRecord rec = gw.awaitRecord(id, r -> r.workItem() != null);
            byPartition.computeIfAbsent(rec.workItem().partition(), k -> new java.util.ArrayList<>()).add(id);
        }
        List<String> same = byPartition.values().stream().filter(ids -> ids.size() >= 2).findFirst().orElseThrow();
        int first = api.get("/v1/jobs/" + same.get(0), KEY).json().get("queue_position").asInt();
        int second = api.get("/v1/jobs/" + same.get(1), KEY).json().get("queue_position").asInt();
        assertEquals(first + 1, second, "no worker consumes here: the later item sits right behind the earlier");
    }

    @Test
    void a_get_right_after_the_202_finds_the_job_queued_with_its_position() {
        String id = api.submit(KEY, TestGateway.GOOD_REQUEST, TestImages.png(64, 64, 5)).json().get("id").asText();
        ApiClient.Response r = api.get("/v1/jobs/" + id, KEY);

        assertEquals(200, r.status(), r.toString());
        JsonNode job = r.json();
        assertEquals(id, job.get("id").asText());
        assertEquals("queued", job.get("status").asText());
        assertTrue(job.get("queue_position").asInt() >= 1);
        assertEquals(0, job.at("/progress/step").asInt());
        assertEquals(4, job.at("/progress/total").asInt());
        assertEquals(0, job.get("outputs").size());
        assertFalse(job.get("cancel_requested").asBoolean());
        assertTrue(job.get("started_at").isNull());
        assertNotNull(job.get("created_at").asText());
    }

    @Test
    void a_finished_job_shows_outputs_as_gateway_urls_and_when_they_expire() {
        String id = api.submit(KEY, TestGateway.GOOD_REQUEST, TestImages.png(64, 64, 6)).json().get("id").asText();
        gw.succeed(id, TestImages.png(64, 64, 60));
        gw.awaitRecord(id, rec -> rec.status().isTerminal());

        JsonNode job = api.get("/v1/jobs/" + id, KEY).json();
        assertEquals("succeeded", job.get("status").asText());
        assertEquals("/v1/jobs/" + id + "/outputs/0", job.at("/outputs/0/url").asText());
        assertEquals(1000, job.at("/outputs/0/seed").asLong());
        long finished = java.time.Instant.parse(job.get("finished_at").asText()).toEpochMilli();
        long expires = java.time.Instant.parse(job.get("expires_at").asText()).toEpochMilli();
        assertEquals(86_400_000, expires - finished);
        assertNull(job.get("queue_position"));
    }

    @Test
    void a_failed_job_reports_its_error() {
        String id = api.submit(KEY, TestGateway.GOOD_REQUEST, TestImages.png(64, 64, 7)).json().get("id").asText();
        gw.fail(id, "invalid_image");
        gw.awaitRecord(id, rec -> rec.status().isTerminal());

        JsonNode job = api.get("/v1/jobs/" + id, KEY).json();
        assertEquals("failed", job.get("status").asText());
        assertEquals("invalid_image", job.at("/error/type").asText());
        assertFalse(job.at("/error/retryable").asBoolean());
    }

    @Test
    void prefer_wait_falls_back_to_202_when_the_job_does_not_finish_in_time() {
        long t0 = System.nanoTime();
        ApiClient.Response r = api.submit(KEY, ApiClient.headers("Prefer", "wait=1"), TestGateway.GOOD_REQUEST,
                TestImages.png(64, 64, 8));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

        assertEquals(202, r.status(), r.toString());
        assertEquals("wait=1", r.header("Preference-Applied"));
        assertTrue(ms >= 900, "answered after " + ms + " ms");
    }

    @Test
    void prefer_wait_answers_200_with_the_job_when_it_finishes_in_time() throws Exception {
        long seed = 770_000 + System.nanoTime() % 1000;
        String request = "{\"prompt\":\"a photo of a boy img\",\"num_steps\":4,\"seed\":" + seed + "}";
        CompletableFuture<ApiClient.Response> pending = CompletableFuture.supplyAsync(() -> api.submit(KEY,
                ApiClient.headers("Prefer", "wait=30"), request, TestImages.png(64, 64, 9)));
        String id = awaitJobWithSeed(seed);
        gw.succeed(id, TestImages.png(64, 64, 90));

        ApiClient.Response r = pending.get(30, TimeUnit.SECONDS);
        assertEquals(200, r.status(), r.toString());
        assertEquals("wait=30", r.header("Preference-Applied"));
        assertEquals(id, r.json().get("id").asText());
        assertEquals("succeeded", r.json().get("status").asText());
    }

    @Test
    void prefer_wait_longer_than_a_minute_is_capped_at_sixty_seconds() {
        assertEquals(Duration.ofSeconds(60), PreferWait.parse(List.of("respond-async, wait=600"), Duration.ofSeconds(60)));
    }

    /** The id of the tenant's job submitted with {@code seed}, once the job state has it. */
    private String awaitJobWithSeed(long seed) {
        return io.photomaker.testkit.Await.value("the waiting submission to reach the job state",
                Duration.ofSeconds(20), () -> gw.gateway().services().lister().list(TENANT, null, null, 100)
                        .toCompletionStage().toCompletableFuture().join().stream()
                        .filter(r -> r.request().seed() == seed).map(JobRecord::id).findFirst().orElse(null));
    }

    private static JobMessage readWorkItem(String id) {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaClients.readerConsumer(
                SharedInfra.get().kafka(), "test-queue-reader"))) {
            List<TopicPartition> parts = c.partitionsFor(Topics.JOBS).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.currentTimeMillis() + 20_000;
            while (System.currentTimeMillis() < deadline) {
                for (var rec : c.poll(Duration.ofMillis(200))) {
                    if (id.equals(rec.key())) {
                        return Json.read(rec.value(), JobMessage.class);
                    }
                }
            }
        }
        throw new AssertionError("no work item for " + id);
    }

    private static void assertArrayEquals(byte[] expected, byte[] actual) {
        assertTrue(Arrays.equals(expected, actual), "stored bytes differ");
    }
}
