package io.photomaker.gateway.jobs;

import static io.photomaker.gateway.Fixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.photomaker.common.event.JobEvent;
import io.photomaker.common.job.JobMessage;
import io.photomaker.common.job.JobOutput;
import io.photomaker.common.job.JobStatus;
import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.JobProducer;
import io.photomaker.common.state.JobRecord;
import io.photomaker.common.storage.ObjectKeys;
import io.photomaker.gateway.Fixtures;
import io.photomaker.gateway.http.TestApi;
import io.photomaker.gateway.state.JobStateProcessor;
import io.photomaker.gateway.state.LifecycleConfig;
import io.photomaker.gateway.support.LocalReads;
import io.photomaker.gateway.support.VerdictLog;
import io.photomaker.testkit.infra.EmbeddedKafka;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JobEventsHandlerTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static EmbeddedKafka kafka;
    private static JobProducer producer;
    private static VerdictLog view;
    private static JobStateProcessor processor;
    private static Vertx vertx;
    private static TestApi api;
    private static LocalReads reads;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(3);
        producer = new JobProducer(kafka.settings(), "sse-test");
        view = new VerdictLog(kafka.settings(), "sse-view");
        LifecycleConfig cfg = LifecycleConfig.defaults().withStateDir(Fixtures.tempDir("sse-state"))
                .withTimers(Duration.ofMillis(100), Duration.ofMillis(300));
        processor = JobStateProcessor.start(kafka.settings(), cfg, null, new SimpleMeterRegistry());
        assertTrue(processor.awaitRunning(WAIT));
        vertx = Vertx.vertx();
        reads = new LocalReads(vertx, kafka.settings(), processor);
        api = TestApi.start(vertx, r -> new JobEventsHandler(reads.lookup(), reads.feed(), cfg.sseKeepAlive(),
                new io.photomaker.gateway.limits.StreamSlots(100, 10)).mount(r));
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
        reads.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        processor.close();
        view.close();
        producer.close();
        kafka.close();
    }

    private static void publish(JobEvent e) throws Exception {
        producer.publish(e).get(10, TimeUnit.SECONDS);
    }

    private static String url(String jobId) {
        return api.base() + "/v1/jobs/" + jobId + "/events";
    }

    private static void awaitVersion(String jobId, long version) {
        await(WAIT, () -> view.get(jobId).map(r -> r.version() >= version).orElse(false),
                () -> jobId + " at version " + version);
    }

    private static JsonNode data(SseClient.Event e) {
        return Json.mapper().valueToTree(Json.read(e.data().getBytes(), Object.class));
    }

    @Test
    void a_client_follows_a_job_from_queued_to_succeeded_and_the_stream_then_ends() throws Exception {
        JobMessage job = Fixtures.job("tenant-a");
        publish(JobEvent.submitted(job));
        awaitVersion(job.jobId(), 1);
        try (SseClient sse = SseClient.open(url(job.jobId()), "tenant-a", null)) {
            assertEquals(200, sse.response.statusCode());
            assertTrue(sse.response.headers().firstValue("content-type").orElse("").startsWith("text/event-stream"));
            SseClient.Event queued = sse.next(WAIT);
            assertEquals("queued", queued.name());
            assertEquals(1, queued.id());

            publish(JobEvent.started(job, 1, "w1", 4));
            SseClient.Event started = sse.next(WAIT);
            assertEquals("started", started.name());
            assertEquals(2, started.id());

            publish(JobEvent.progress(job.jobId(), 1, "w1", 1, 4));
            publish(JobEvent.progress(job.jobId(), 1, "w1", 2, 4));
            SseClient.Event p1 = sse.next(WAIT);
            SseClient.Event p2 = sse.next(WAIT);
            assertEquals(List.of("progress", "progress"), List.of(p1.name(), p2.name()));
            assertEquals(1, data(p1).get("step").asInt());
            assertEquals(2, data(p2).get("step").asInt());
            assertEquals(4, data(p2).get("total").asInt());
            assertEquals(4, p2.id());

            publish(JobEvent.succeeded(job.jobId(), 1, "w1",
                    List.of(new JobOutput(ObjectKeys.output(job.jobId(), 0), 64, 64, 42))));
            SseClient.Event done = sse.next(WAIT);
            assertEquals("succeeded", done.name());
            assertEquals(5, done.id());
            assertEquals("/v1/jobs/" + job.jobId() + "/outputs/0", data(done).at("/outputs/0").asText());
            assertTrue(sse.awaitEnd(WAIT), "the stream must end after a terminal event");
            assertTrue(sse.events.isEmpty());
        }
    }

    @Test
    void a_resumed_stream_sends_nothing_at_or_below_last_event_id_and_the_current_state_when_newer()
            throws Exception {
        JobMessage job = Fixtures.job("tenant-a");
        publish(JobEvent.submitted(job));
        publish(JobEvent.started(job, 1, "w1", 4));
        publish(JobEvent.progress(job.jobId(), 1, "w1", 1, 4));
        awaitVersion(job.jobId(), 3);

        try (SseClient behind = SseClient.open(url(job.jobId()), "tenant-a", "1");
             SseClient current = SseClient.open(url(job.jobId()), "tenant-a", "3")) {
            SseClient.Event catchUp = behind.next(WAIT);
            assertEquals(3, catchUp.id());
            assertEquals("progress", catchUp.name());

            publish(JobEvent.progress(job.jobId(), 1, "w1", 2, 4));
            SseClient.Event first = current.next(WAIT);
            assertEquals(4, first.id(), "a resumed stream must not repeat event 3");
            assertEquals(2, data(first).get("step").asInt());
            assertEquals(4, behind.next(WAIT).id());
        }
    }

    @Test
    void idle_streams_get_keep_alive_comments() throws Exception {
        JobMessage job = Fixtures.job("tenant-a");
        publish(JobEvent.submitted(job));
        awaitVersion(job.jobId(), 1);
        try (SseClient sse = SseClient.open(url(job.jobId()), "tenant-a", null)) {
            assertEquals("queued", sse.next(WAIT).name());
            String comment = sse.comments.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertEquals(": keep-alive", comment);
        }
    }

    @Test
    void a_finished_job_sends_its_last_state_once_and_closes_and_a_client_that_saw_it_gets_nothing()
            throws Exception {
        JobMessage job = Fixtures.job("tenant-a");
        publish(JobEvent.submitted(job));
        publish(JobEvent.cancelRequested(job.jobId()));
        await(WAIT, () -> view.get(job.jobId()).map(r -> r.status() == JobStatus.CANCELED).orElse(false),
                () -> "canceled");
        JobRecord rec = view.get(job.jobId()).orElseThrow();
        try (SseClient sse = SseClient.open(url(job.jobId()), "tenant-a", null)) {
            SseClient.Event e = sse.next(WAIT);
            assertEquals("canceled", e.name());
            assertEquals(rec.version(), e.id());
            assertTrue(sse.awaitEnd(WAIT));
        }
        try (SseClient seen = SseClient.open(url(job.jobId()), "tenant-a", Long.toString(rec.version()))) {
            assertTrue(seen.awaitEnd(WAIT));
            assertTrue(seen.events.isEmpty());
        }
    }

    @Test
    void another_tenants_job_and_an_unknown_job_answer_404_as_json() throws Exception {
        JobMessage job = Fixtures.job("tenant-a");
        publish(JobEvent.submitted(job));
        awaitVersion(job.jobId(), 1);
        HttpClient http = HttpClient.newHttpClient();
        for (String id : List.of(job.jobId(), "job_unknown")) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url(id)))
                    .header("x-tenant", "tenant-b").GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, r.statusCode());
            assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
            JsonNode body = Json.mapper().readTree(r.body());
            assertEquals("not_found", body.at("/error/type").asText());
        }
    }
}
