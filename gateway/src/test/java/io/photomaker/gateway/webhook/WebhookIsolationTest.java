package io.photomaker.gateway.webhook;

import static io.photomaker.gateway.Fixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.JobProducer;
import io.photomaker.common.kafka.Topics;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.gateway.state.LifecycleConfig;
import io.photomaker.testkit.infra.EmbeddedKafka;
import io.photomaker.testkit.infra.EmbeddedS3;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One tenant's black-holed receiver against another tenant's deliveries, on a dispatcher whose tries may take
 * half a minute: the stuck tenant holds its few slots, everyone else's deliveries go out meanwhile.
 */
class WebhookIsolationTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int PER_TENANT = 2;
    private static EmbeddedKafka kafka;
    private static EmbeddedS3 s3;
    private static ObjectStore store;
    private static JobProducer producer;
    private static Vertx vertx;
    private static SimpleMeterRegistry registry;
    private static WebhookDispatcher dispatcher;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start(3);
        s3 = EmbeddedS3.start();
        store = new ObjectStore(s3.settings());
        store.ensureBucket().join();
        producer = new JobProducer(kafka.settings(), "isolation-test");
        vertx = Vertx.vertx();
        registry = new SimpleMeterRegistry();
        LifecycleConfig defaults = LifecycleConfig.defaults();
        LifecycleConfig cfg = defaults.withWebhooks(defaults.webhook().withLimits(16, PER_TENANT, Duration.ofSeconds(5)),
                true, 3, List.of(Duration.ofSeconds(1)), Duration.ofSeconds(30));
        dispatcher = WebhookDispatcher.start(vertx, kafka.settings(), store, cfg, new AddressGuard(true), registry);
    }

    @AfterAll
    static void stop() throws Exception {
        dispatcher.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        producer.close();
        store.close();
        s3.close();
        kafka.close();
    }

    private static String listen(java.util.function.Consumer<HttpServerRequest> handler) throws Exception {
        HttpServer server = vertx.createHttpServer().requestHandler(handler::accept).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return "http://127.0.0.1:" + server.actualPort() + "/hook";
    }

    private static void deliver(String tenant, String url, int n) throws Exception {
        String jobId = "job_" + tenant + "_" + n + "_" + System.nanoTime();
        WebhookDelivery d = new WebhookDelivery(WebhookDelivery.idFor(jobId, 3), jobId, tenant, url, "job.succeeded",
                "{}", System.currentTimeMillis(), System.currentTimeMillis(), 1, false, List.of());
        producer.send(new ProducerRecord<>(Topics.WEBHOOKS, d.id(), Json.bytes(d))).get(10, TimeUnit.SECONDS);
    }

    @Test
    void a_black_holed_receiver_holds_only_its_tenants_slots_and_other_tenants_are_delivered_meanwhile()
            throws Exception {
        AtomicInteger hanging = new AtomicInteger();
        List<Promise<Void>> held = new CopyOnWriteArrayList<>();
        String blackHole = listen(req -> {
            hanging.incrementAndGet();
            Promise<Void> release = Promise.promise();
            held.add(release);
            release.future().onComplete(v -> req.response().setStatusCode(204).end());
        });
        AtomicInteger answered = new AtomicInteger();
        String healthy = listen(req -> {
            answered.incrementAndGet();
            req.response().setStatusCode(204).end();
        });
        for (int i = 0; i < 12; i++) {
            deliver("stuck-tenant", blackHole, i);
        }
        await(WAIT, () -> hanging.get() == PER_TENANT, () -> "the stuck tenant's first tries, got " + hanging.get());
        for (int i = 0; i < 5; i++) {
            deliver("tenant-" + i, healthy, i);
        }
        await(WAIT, () -> answered.get() == 5, () -> "other tenants' deliveries, got " + answered.get());
        assertEquals(PER_TENANT, hanging.get(), "the stuck tenant never had more than its slots");
        assertTrue(registry.counter("photomaker.webhook.deferred").count() > 0, "its other deliveries were put off");
        held.forEach(p -> vertx.runOnContext(v -> p.tryComplete()));
    }
}
