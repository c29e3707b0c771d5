package io.photomaker.gateway.state;

import static io.photomaker.gateway.Fixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.photomaker.common.config.Settings;
import io.photomaker.common.event.JobEvent;
import io.photomaker.common.job.JobMessage;
import io.photomaker.common.job.JobOutput;
import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.JobProducer;
import io.photomaker.common.state.JobStateView;
import io.photomaker.common.storage.ObjectKeys;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.gateway.Fixtures;
import io.photomaker.gateway.http.TestApi;
import io.photomaker.testkit.infra.EmbeddedKafka;
import io.photomaker.testkit.infra.EmbeddedS3;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LifecycleServicesTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void the_services_started_from_settings_stream_deliver_and_log_a_jobs_lifecycle() throws Exception {
        Vertx vertx = Vertx.vertx();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(2);
             EmbeddedS3 s3 = EmbeddedS3.start();
             ObjectStore store = new ObjectStore(s3.settings());
             JobProducer producer = new JobProducer(kafka.settings(), "services-test");
             JobStateView view = new JobStateView(kafka.settings(), "services-view").start(WAIT)) {
            store.ensureBucket().join();
            LifecycleConfig cfg = LifecycleConfig.from(Settings.of(Map.of(
                    "PM_WEBHOOK_ALLOW_PRIVATE", "true",
                    "PM_WEBHOOK_SECRETS", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
                    "PM_STATE_DIR", Fixtures.tempDir("services-state").toString(),
                    "PM_PUBLIC_URL", "https://photos.example")));
            List<String> received = new CopyOnWriteArrayList<>();
            HttpServer hook = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
                received.add(b.toString());
                req.response().setStatusCode(200).end();
            })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            try (LifecycleServices services = LifecycleServices.start(vertx, kafka.settings(), store, view, producer,
                    cfg, new SimpleMeterRegistry());
                 TestApi api = TestApi.start(vertx, services::mount)) {
                assertTrue(services.processor().awaitRunning(WAIT));
                JobMessage job = Fixtures.job("tenant-s", "http://127.0.0.1:" + hook.actualPort() + "/hook", null, 0);
                producer.publish(JobEvent.submitted(job)).get(10, TimeUnit.SECONDS);
                producer.publish(JobEvent.started(job, 1, "w", 4)).get(10, TimeUnit.SECONDS);
                producer.publish(JobEvent.succeeded(job.jobId(), 1, "w",
                        List.of(new JobOutput(ObjectKeys.output(job.jobId(), 0), 64, 64, 1)))).get(10, TimeUnit.SECONDS);

                HttpClient http = HttpClient.newHttpClient();
                String stream = http.send(HttpRequest.newBuilder(URI.create(api.base() + "/v1/jobs/" + job.jobId()
                        + "/events")).header("x-tenant", "tenant-s").timeout(WAIT).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertTrue(stream.contains("event: succeeded"), stream);

                await(WAIT, () -> received.size() == 1, () -> "one webhook, got " + received.size());
                JsonNode body = Json.mapper().readTree(received.get(0));
                assertEquals("https://photos.example/v1/jobs/" + job.jobId() + "/outputs/0",
                        body.at("/data/outputs/0").asText());
                await(WAIT, () -> webhookState(http, api, job).equals("delivered"), () -> "logged delivery");
                assertTrue(services.isHealthy());
            } finally {
                hook.close();
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static String webhookState(HttpClient http, TestApi api, JobMessage job) {
        try {
            String body = http.send(HttpRequest.newBuilder(URI.create(api.base() + "/v1/jobs/" + job.jobId()
                    + "/webhooks")).header("x-tenant", "tenant-s").build(), HttpResponse.BodyHandlers.ofString()).body();
            return Json.mapper().readTree(body).at("/data/0/state").asText();
        } catch (Exception e) {
            return e.toString();
        }
    }
}
