package io.photomaker.gateway.webhook;

import static io.photomaker.gateway.Fixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.photomaker.common.event.JobEvent;
import io.photomaker.common.job.JobMessage;
import io.photomaker.common.job.JobOutput;
import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.JobProducer;
import io.photomaker.common.storage.ObjectKeys;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.gateway.Fixtures;
import io.photomaker.gateway.http.TestApi;
import io.photomaker.gateway.jobs.WebhookLogHandler;
import io.photomaker.gateway.jobs.WebhookReplayHandler;
import io.photomaker.gateway.limits.RateLimiter;
import io.photomaker.gateway.retention.ArchiveReader;
import io.photomaker.gateway.state.JobStateProcessor;
import io.photomaker.gateway.state.LifecycleConfig;
import io.photomaker.gateway.support.LocalReads;
import io.photomaker.gateway.support.VerdictLog;
import io.photomaker.testkit.infra.EmbeddedKafka;
import io.photomaker.testkit.infra.EmbeddedS3;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The webhook pipeline end to end: state processor plans, dispatcher delivers to local receivers. */
class WebhookDispatcherTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SERVER_KEY = "dispatcher-test-server-key-0123456789";
    private static final String OLD_SERVER_KEY = "dispatcher-test-old-server-key-0123456789";
    private static final WebhookKeys KEYS = WebhookKeys.rotating(SERVER_KEY, OLD_SERVER_KEY, null);
    private static final int MAX_ATTEMPTS = 4;
    private static EmbeddedKafka kafka;
    private static EmbeddedS3 s3;
    private static ObjectStore store;
    private static JobProducer producer;
    private static VerdictLog view;
    private static Vertx vertx;
    private static LifecycleConfig cfg;
    private static SimpleMeterRegistry registry;
    private static JobStateProcessor processor;
    private static WebhookDispatcher dispatcher;
    private static DeliveryLog log;
    private static TestApi api;
    private static LocalReads reads;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(3);
        s3 = EmbeddedS3.start();
        store = new ObjectStore(s3.settings());
        store.ensureBucket().join();
        producer = new JobProducer(kafka.settings(), "webhook-test");
        view = new VerdictLog(kafka.settings(), "webhook-view");
        vertx = Vertx.vertx();
        registry = new SimpleMeterRegistry();
        cfg = LifecycleConfig.defaults()
                .withWebhooks(LifecycleConfig.defaults().webhook().withKeys(KEYS), true, MAX_ATTEMPTS,
                        List.of(Duration.ofMillis(200), Duration.ofMillis(400)), Duration.ofSeconds(3))
                .withTimers(Duration.ofMillis(100), Duration.ofSeconds(15));
        processor = startProcessor();
        dispatcher = WebhookDispatcher.start(vertx, kafka.settings(), store, cfg.delivery(), new AddressGuard(true), registry);
        log = new DeliveryLog(store);
        startApi();
    }

    /** The log and replay API, reading from the current processor's stores. */
    private static void startApi() throws Exception {
        reads = new LocalReads(vertx, kafka.settings(), processor);
        api = TestApi.start(vertx, r -> {
            new WebhookLogHandler(reads.lookup(), log).mount(r);
            new WebhookReplayHandler(reads.lookup(), log, producer, new RateLimiter(1000)).mount(r);
        });
    }

    @AfterAll
    static void stop() throws Exception {
        api.close();
        reads.close();
        dispatcher.close();
        processor.close();
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        view.close();
        producer.close();
        store.close();
        s3.close();
        kafka.close();
    }

    private static JobStateProcessor startProcessor() {
        JobStateProcessor p = JobStateProcessor.start(kafka.settings(),
                cfg.withStateDir(Fixtures.tempDir("webhook-state")), store, registry);
        assertTrue(p.awaitRunning(WAIT));
        return p;
    }

    /** Runs a job through start and success; with the default filter its completion is version 3. */
    private static JobMessage runJob(String url, List<String> events) throws Exception {
        JobMessage job = Fixtures.job("tenant-w", url, events, 0);
        producer.publish(JobEvent.submitted(job)).get(10, TimeUnit.SECONDS);
        producer.publish(JobEvent.started(job, 1, "w1", 4)).get(10, TimeUnit.SECONDS);
        producer.publish(JobEvent.succeeded(job.jobId(), 1, "w1",
                List.of(new JobOutput(ObjectKeys.output(job.jobId(), 0), 64, 64, 42)))).get(10, TimeUnit.SECONDS);
        return job;
    }

    private static WebhookDelivery awaitLogged(String jobId, String deliveryId, String state) {
        await(WAIT, () -> log.find(jobId, deliveryId).join().map(d -> d.state().equals(state)).orElse(false),
                () -> deliveryId + " to be " + state + ", is "
                        + log.find(jobId, deliveryId).join().map(WebhookDelivery::state).orElse("absent"));
        return log.find(jobId, deliveryId).join().orElseThrow();
    }

    private static void awaitRequests(Receiver r, int n) {
        await(WAIT, () -> r.requests().size() >= n, () -> n + " requests, got " + r.requests().size());
    }

    private static double count(String outcome) {
        return registry.counter("photomaker.webhook.deliveries", "outcome", outcome).count();
    }

    @Test
    void a_completion_is_delivered_once_signed_with_the_tenants_secrets_and_shows_in_the_delivery_log()
            throws Exception {
        double deliveredBefore = count("success");
        try (Receiver receiver = Receiver.start(vertx, n -> Receiver.Answer.of(204))) {
            JobMessage job = runJob(receiver.url("/hooks?src=pm"), null);
            String id = WebhookDelivery.idFor(job.jobId(), 3);
            awaitLogged(job.jobId(), id, "delivered");
            List<Receiver.Request> got = receiver.requests();
            assertEquals(1, got.size());
            Receiver.Request req = got.get(0);
            assertEquals(id, req.headers().get("webhook-id"));
            long ts = Long.parseLong(req.headers().get("webhook-timestamp"));
            assertTrue(Math.abs(System.currentTimeMillis() / 1000 - ts) < 60, "timestamp " + ts);
            String sig = req.headers().get("webhook-signature");
            assertTrue(StandardWebhooksVerifier.verify(KEYS.secretFor("tenant-w"), id, ts, req.body(), sig), sig);
            assertTrue(StandardWebhooksVerifier.verify(WebhookKeys.of(OLD_SERVER_KEY).secretFor("tenant-w"), id, ts,
                    req.body(), sig), "the previous key signs during rotation: " + sig);
            assertTrue(!StandardWebhooksVerifier.verify(KEYS.secretFor("tenant-x"), id, ts, req.body(), sig),
                    "another tenant's secret does not verify");
            assertTrue(req.headers().get("content-type").startsWith("application/json"));
            JsonNode body = Json.mapper().readTree(req.body());
            assertEquals("job.succeeded", body.get("type").asText());
            assertEquals(job.jobId(), body.at("/data/id").asText());
            assertEquals("/v1/jobs/" + job.jobId() + "/outputs/0", body.at("/data/outputs/0").asText());
            assertTrue(req.body().length() < 20_000);
            assertEquals(deliveredBefore + 1, count("success"));

            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(api.base() + "/v1/jobs/" + job.jobId() + "/webhooks")).header("x-tenant", "tenant-w")
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            JsonNode listed = Json.mapper().readTree(r.body());
            assertEquals(id, listed.at("/data/0/id").asText());
            assertEquals("delivered", listed.at("/data/0/state").asText());
            assertEquals(204, listed.at("/data/0/attempts/0/status_code").asInt());
            HttpResponse<String> other = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(api.base() + "/v1/jobs/" + job.jobId() + "/webhooks")).header("x-tenant", "tenant-x")
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(404, other.statusCode());
        }
    }

    @Test
    void failures_are_retried_with_the_same_id_no_earlier_than_each_logged_due_time_until_success()
            throws Exception {
        try (Receiver receiver = Receiver.start(vertx, n -> Receiver.Answer.of(n <= 2 ? 503 : 200))) {
            JobMessage job = runJob(receiver.url("/flaky"), null);
            String id = WebhookDelivery.idFor(job.jobId(), 3);
            WebhookDelivery d = awaitLogged(job.jobId(), id, "delivered");
            List<Receiver.Request> got = receiver.requests();
            assertEquals(3, got.size());
            got.forEach(req -> assertEquals(id, req.headers().get("webhook-id")));
            assertEquals(List.of("retry", "retry", "delivered"),
                    d.attempts().stream().map(WebhookAttempt::outcome).toList());
            for (int i = 0; i < 2; i++) {
                WebhookAttempt a = d.attempts().get(i);
                assertEquals(503, a.statusCode());
                assertTrue(a.nextAttemptAt() >= a.at());
                assertTrue(a.nextAttemptAt() - a.at() <= cfg.webhookBackoff().get(i).toMillis());
                assertTrue(got.get(i + 1).at() >= a.nextAttemptAt(), "try " + (i + 2) + " came before it was due");
            }
        }
    }

    @Test
    void a_receiver_that_keeps_failing_gets_exactly_the_allowed_number_of_tries() throws Exception {
        try (Receiver receiver = Receiver.start(vertx, n -> Receiver.Answer.of(500))) {
            JobMessage job = runJob(receiver.url("/down"), null);
            WebhookDelivery d = awaitLogged(job.jobId(), WebhookDelivery.idFor(job.jobId(), 3), "exhausted");
            assertEquals(MAX_ATTEMPTS, d.attempts().size());
            assertEquals(MAX_ATTEMPTS, receiver.requests().size());
            assertEquals(0, d.attempts().get(MAX_ATTEMPTS - 1).nextAttemptAt());
        }
    }

    @Test
    void gone_disables_the_jobs_webhooks_and_a_manual_replay_still_goes_out() throws Exception {
        try (Receiver receiver = Receiver.start(vertx, n -> Receiver.Answer.of(n == 1 ? 410 : 200))) {
            JobMessage job = Fixtures.job("tenant-w", receiver.url("/gone"), List.of("started", "completed"), 0);
            producer.publish(JobEvent.submitted(job)).get(10, TimeUnit.SECONDS);
            producer.publish(JobEvent.started(job, 1, "w1", 4)).get(10, TimeUnit.SECONDS);
            String started = WebhookDelivery.idFor(job.jobId(), 2);
            String completed = WebhookDelivery.idFor(job.jobId(), 3);
            awaitLogged(job.jobId(), started, "disabled");
            producer.publish(JobEvent.succeeded(job.jobId(), 1, "w1", List.of())).get(10, TimeUnit.SECONDS);
            awaitLogged(job.jobId(), completed, "skipped");
            assertEquals(1, receiver.requests().size());

            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    api.base() + "/v1/jobs/" + job.jobId() + "/webhooks/" + completed + "/replay"))
                    .header("x-tenant", "tenant-w").POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(202, r.statusCode(), r.body());
            WebhookDelivery replayed = awaitLogged(job.jobId(), completed, "delivered");
            assertEquals(List.of("skipped", "delivered"),
                    replayed.attempts().stream().map(WebhookAttempt::outcome).toList());
            assertEquals(2, receiver.requests().size());
            assertEquals(completed, receiver.requests().get(1).headers().get("webhook-id"));

            HttpResponse<String> missing = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(
                    api.base() + "/v1/jobs/" + job.jobId() + "/webhooks/msg_nope/replay"))
                    .header("x-tenant", "tenant-w").POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, missing.statusCode());
            assertEquals("delivery_not_found", Json.mapper().readTree(missing.body()).at("/error/type").asText());
        }
    }

    @Test
    void too_many_requests_waits_for_retry_after_instead_of_the_short_backoff() throws Exception {
        try (Receiver receiver = Receiver.start(vertx, n -> n == 1
                ? new Receiver.Answer(429, Map.of("Retry-After", "2")) : Receiver.Answer.of(200))) {
            JobMessage job = runJob(receiver.url("/busy"), null);
            WebhookDelivery d = awaitLogged(job.jobId(), WebhookDelivery.idFor(job.jobId(), 3), "delivered");
            WebhookAttempt first = d.attempts().get(0);
            assertEquals(429, first.statusCode());
            assertEquals(2000, first.nextAttemptAt() - first.at());
            List<Receiver.Request> got = receiver.requests();
            assertTrue(got.get(1).at() >= first.nextAttemptAt(), "retried before Retry-After");
        }
    }

    @Test
    void a_redirect_is_not_followed_and_counts_as_a_failed_try() throws Exception {
        try (Receiver elsewhere = Receiver.start(vertx, n -> Receiver.Answer.of(200));
             Receiver redirecting = Receiver.start(vertx, n -> n == 1
                     ? new Receiver.Answer(302, Map.of("Location", elsewhere.url("/stolen")))
                     : Receiver.Answer.of(200))) {
            JobMessage job = runJob(redirecting.url("/moved"), null);
            WebhookDelivery d = awaitLogged(job.jobId(), WebhookDelivery.idFor(job.jobId(), 3), "delivered");
            assertEquals(302, d.attempts().get(0).statusCode());
            assertEquals("retry", d.attempts().get(0).outcome());
            assertEquals(2, redirecting.requests().size());
            assertEquals(0, elsewhere.requests().size(), "the redirect target must never be contacted");
        }
    }

    @Test
    void a_retry_survives_restarting_both_the_dispatcher_and_the_state_processor() throws Exception {
        try (Receiver receiver = Receiver.start(vertx, n -> n == 1
                ? new Receiver.Answer(429, Map.of("Retry-After", "3")) : Receiver.Answer.of(200))) {
            JobMessage job = runJob(receiver.url("/restart"), null);
            String id = WebhookDelivery.idFor(job.jobId(), 3);
            awaitLogged(job.jobId(), id, "retry");
            dispatcher.close();
            processor.close();
            assertEquals(1, receiver.requests().size());
            processor = startProcessor();
            api.close();
            reads.close();
            startApi();
            dispatcher = WebhookDispatcher.start(vertx, kafka.settings(), store, cfg.delivery(), new AddressGuard(true), registry);
            WebhookDelivery d = awaitLogged(job.jobId(), id, "delivered");
            List<Integer> statuses = d.attempts().stream().map(WebhookAttempt::statusCode).toList();
            // A try that times out on a loaded machine is retried, and logged: every request the receiver saw
            // must be an attempt of the log (a delivery repeated by the restart would not be), all of one id.
            assertEquals(receiver.requests().size(), statuses.size(), "requests " + receiver.requests().size()
                    + " against logged attempts " + statuses);
            assertEquals(429, statuses.get(0));
            assertEquals(200, statuses.get(statuses.size() - 1));
            receiver.requests().forEach(req -> assertEquals(id, req.headers().get("webhook-id")));
        }
    }
    private static WebhookDeliverer strictDeliverer() {
        return deliverer(new AddressGuard(false), Duration.ofSeconds(5));
    }

    private static WebhookDeliverer deliverer(AddressGuard guard, Duration dnsTimeout) {
        return new WebhookDeliverer(new WebhookSender(vertx, Duration.ofSeconds(3)), new WebhookSigner(KEYS),
                guard, log, new WebhookBackoff(cfg.webhookBackoff(), new java.util.Random()),
                MAX_ATTEMPTS, java.util.concurrent.ForkJoinPool.commonPool(), dnsTimeout, registry);
    }

    private static WebhookDelivery delivery(String url) {
        String jobId = "job_ssrf" + System.nanoTime();
        return new WebhookDelivery(WebhookDelivery.idFor(jobId, 3), jobId, "tenant-w", url, "job.succeeded", "{}",
                System.currentTimeMillis(), System.currentTimeMillis(), 1, false, List.of());
    }

    @Test
    void without_permission_for_private_targets_loopback_and_metadata_addresses_are_refused_unsent()
            throws Exception {
        double refusedBefore = count("refused");
        try (Receiver receiver = Receiver.start(vertx, n -> Receiver.Answer.of(200))) {
            WebhookDeliverer strict = strictDeliverer();
            for (String url : List.of(receiver.url("/local"), "http://169.254.169.254/latest/meta-data/",
                    "http://10.0.0.7/hook", "http://[::1]:8080/hook", "http://0.0.0.0/hook")) {
                WebhookDeliverer.Result r = strict.attempt(delivery(url)).get(20, TimeUnit.SECONDS);
                assertEquals(DeliveryOutcome.REFUSED, r.outcome(), url);
                assertEquals(null, r.next(), "a refused target is not retried");
                assertTrue(r.logged().attempts().get(0).error().contains("non-public"), r.logged().toString());
            }
            assertEquals(0, receiver.requests().size());
            assertEquals(refusedBefore + 5, count("refused"));
        }
    }

    @Test
    void refusals_and_failures_in_the_delivery_log_name_no_address() throws Exception {
        AddressGuard internalDns = new AddressGuard(false, host -> new java.net.InetAddress[] {
            java.net.InetAddress.getByAddress(host, new byte[] {10, 1, 2, 3})});
        WebhookDeliverer.Result refused = deliverer(internalDns, Duration.ofSeconds(5))
                .attempt(delivery("http://db.internal.example/hook")).get(20, TimeUnit.SECONDS);
        String error = refused.logged().attempts().get(0).error();
        assertEquals(DeliveryOutcome.REFUSED, refused.outcome());
        assertTrue(error.contains("non-public") && !error.contains("10.1.2.3"), error);
        WebhookDeliverer open = deliverer(new AddressGuard(true), Duration.ofSeconds(5));
        try (java.net.ServerSocket closed = new java.net.ServerSocket(0)) {
            int port = closed.getLocalPort();
            closed.close();
            WebhookDeliverer.Result failed = open.attempt(delivery("http://127.0.0.1:" + port + "/hook"))
                    .get(20, TimeUnit.SECONDS);
            String why = failed.logged().attempts().get(0).error();
            assertEquals(DeliveryOutcome.RETRY, failed.outcome());
            assertTrue(why.startsWith("no response") && !why.contains("127.0.0.1") && !why.contains(":" + port), why);
        }
    }

    @Test
    void a_resolver_that_never_answers_costs_one_try_after_the_dns_timeout() throws Exception {
        java.util.concurrent.CountDownLatch never = new java.util.concurrent.CountDownLatch(1);
        AddressGuard hanging = new AddressGuard(true, host -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new java.net.UnknownHostException(host);
        });
        try {
            WebhookDeliverer.Result r = deliverer(hanging, Duration.ofMillis(300))
                    .attempt(delivery("http://receiver.example/hook")).get(20, TimeUnit.SECONDS);
            assertEquals(DeliveryOutcome.RETRY, r.outcome());
            assertEquals("no response in time", r.logged().attempts().get(0).error());
        } finally {
            never.countDown();
        }
    }

    @Test
    void the_connection_goes_to_the_checked_address_even_when_a_later_dns_answer_points_elsewhere() throws Exception {
        java.util.concurrent.atomic.AtomicInteger lookups = new java.util.concurrent.atomic.AtomicInteger();
        // The first answer is the receiver; every later one a documentation-only address nothing listens on,
        // as a rebinding DNS server would answer once the check has passed.
        AddressGuard rebinding = new AddressGuard(true, host -> new java.net.InetAddress[] {
            java.net.InetAddress.getByAddress(host, lookups.getAndIncrement() == 0
                    ? new byte[] {127, 0, 0, 1} : new byte[] {(byte) 192, 0, 2, 1})});
        try (Receiver receiver = Receiver.start(vertx, n -> Receiver.Answer.of(200))) {
            String url = receiver.url("/pinned").replace("127.0.0.1", "hooks.rebinding.example");
            WebhookDeliverer.Result r = deliverer(rebinding, Duration.ofSeconds(5)).attempt(delivery(url))
                    .get(20, TimeUnit.SECONDS);
            assertEquals(DeliveryOutcome.DELIVERED, r.outcome(), r.logged().toString());
            assertEquals(1, receiver.requests().size());
            assertEquals(1, lookups.get(), "the name is resolved once, for the check");
            assertTrue(receiver.requests().get(0).headers().get("host").startsWith("hooks.rebinding.example"),
                    "the receiver still sees its host name: " + receiver.requests().get(0).headers().get("host"));
        }
    }
}
