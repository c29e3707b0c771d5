package io.photomaker.gateway.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.gateway.Gateway;
import io.photomaker.gateway.metrics.GatewayMetrics;
import io.photomaker.gateway.support.ApiClient;
import io.photomaker.gateway.support.TestGateway;
import io.photomaker.gateway.support.TestImages;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.testkit.infra.EmbeddedKafka;
import io.photomaker.testkit.infra.EmbeddedS3;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A gateway on a Kafka broker and an S3 server of its own, which the test takes away: readiness turns
 * 503, submissions answer 503 with Retry-After, and no photo of a refused job stays in the bucket.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackendOutageTest {
    static final String TENANT = TestGateway.tenant("outage");
    static final String KEY = TestGateway.keyOf(TENANT);
    static EmbeddedKafka kafka;
    static EmbeddedS3 s3;
    static ObjectStore store;
    static Vertx vertx;
    static Gateway gateway;
    static ApiClient api;
    static ApiClient management;
    static String acceptedJob;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(1);
        s3 = EmbeddedS3.start(java.nio.file.Files.createTempDirectory("outage-s3"), 0);
        store = new ObjectStore(s3.settings());
        store.ensureBucket().get(20, TimeUnit.SECONDS);
        vertx = GatewayMetrics.newVertx(new VertxOptions());
        gateway = Gateway.start(vertx, TestGateway.config(1000, 1000, TENANT).withSubmitAckTimeout(Duration.ofSeconds(3)),
                kafka.settings(), s3.settings()).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        api = new ApiClient(gateway.port());
        management = new ApiClient(gateway.managementPort());
    }

    @AfterAll
    static void stop() {
        gateway.close();
        vertx.close();
        store.close();
        s3.close();
        kafka.close();
    }

    private static List<String> inputs() throws Exception {
        return store.list("inputs/").get(20, TimeUnit.SECONDS);
    }

    @Test
    @Order(1)
    void with_both_backends_up_a_submission_is_accepted() throws Exception {
        ApiClient.Response r = api.submit(KEY, TestGateway.GOOD_REQUEST, TestImages.png(64, 64, 121));
        assertEquals(202, r.status(), r.toString());
        acceptedJob = r.json().get("id").asText();
        assertEquals(1, inputs().size());
    }

    @Test
    @Order(2)
    void with_the_object_store_down_readiness_fails_and_submissions_answer_503() throws Exception {
        s3.pause();
        try {
            ApiClient.Response ready = management.get("/readyz", null);
            assertEquals(503, ready.status(), ready.toString());
            assertEquals("not_ready", ready.errorType());
            assertTrue(ready.json().at("/error/message").asText().contains("object store"));

            ApiClient.Response r = api.submit(KEY, TestGateway.GOOD_REQUEST, TestImages.png(64, 64, 122));
            assertEquals(503, r.status(), r.toString());
            assertEquals("storage_unavailable", r.errorType());
            assertTrue(r.header("Retry-After") != null);
        } finally {
            s3.resume();
        }
        ApiClient.Response again = management.get("/readyz", null);
        for (int i = 0; i < 20 && again.status() != 200; i++) {
            again = management.get("/readyz", null);
        }
        assertEquals(200, again.status(), again.toString());
        assertEquals(1, inputs().size(), "no photo of the refused job may stay");
    }

    @Test
    @Order(3)
    void with_kafka_gone_submissions_answer_503_and_their_photos_are_deleted() throws Exception {
        kafka.close();
        for (int i = 0; i < 3; i++) {
            ApiClient.Response r = api.submit(KEY, TestGateway.GOOD_REQUEST, TestImages.png(64, 64, 123 + i));
            assertEquals(503, r.status(), r.toString());
            assertEquals("queue_unavailable", r.errorType());
            assertEquals("5", r.header("Retry-After"));
        }
        assertEquals(List.of("inputs/" + acceptedJob + "/0.png"), inputs());

        ApiClient.Response ready = management.get("/readyz", null);
        assertEquals(503, ready.status(), ready.toString());
        assertTrue(ready.json().at("/error/message").asText().contains("kafka"));
        assertEquals(200, api.get("/healthz", null).status());
    }
}
