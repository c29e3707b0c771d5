package io.photomaker.devtools.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.photomaker.cli.ApiClient;
import io.photomaker.common.config.Settings;
import io.photomaker.common.json.Json;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.gateway.GatewayMain;
import io.photomaker.testkit.fixtures.SamplePortraits;
import io.photomaker.testkit.http.RawHttp;
import io.photomaker.testkit.infra.EmbeddedKafka;
import io.photomaker.testkit.infra.EmbeddedS3;
import io.photomaker.testkit.models.TinyModelBuilder;
import io.photomaker.worker.WorkerProcess;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The gateway under attack: it runs from its production artifact (when built) in a JVM of its own with a 256 MiB heap (exiting on OutOfMemoryError, so a
 * memory bomb shows as a crash) against embedded Kafka and S3, a tiny-model worker runs in this JVM, and each
 * attack is fired over raw connections while {@code /healthz} is asked every 100 ms. Every attack must be refused
 * (4xx, 429) or cut off (closed connection, reset stream), never answered 5xx; the gateway must stay alive and
 * answer {@code /healthz} within a second throughout; and an ordinary job submitted during the attacks must
 * succeed. The last line of the output is {@code attacks=N survived=N 5xx=0 crashed=0}.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class AttackSuiteTest {
    private static final String GOOD = "good";
    private static final String EVIL = "evil";
    private static final String BULK = "bulk";
    private static final String SLOW = "slow";
    private static final int IDENTITY_QUOTA = 3;
    private static final int STREAMS_PER_TENANT = 10;
    private static final Duration WAIT = Duration.ofSeconds(120);

    private static Path dir;
    private static EmbeddedKafka kafka;
    private static EmbeddedS3 s3;
    private static ChildProcesses children;
    private static Process gateway;
    private static int port;
    private static Map<String, String> env;

    static String keyOf(String tenant) {
        return tenant + "-attack-suite-key-0123456789";
    }

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("photomaker-attack");
        kafka = EmbeddedKafka.start(2);
        s3 = EmbeddedS3.start();
        try (ObjectStore store = new ObjectStore(s3.settings())) {
            store.ensureBucket().join();
        }
        env = new HashMap<>();
        env.put("PM_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        env.put("PM_TOPIC_PARTITIONS", "2");
        env.putAll(s3.environment());
        Map<String, String> gw = new HashMap<>(env);
        gw.putAll(Map.ofEntries(
                Map.entry("PM_HTTP_HOST", "127.0.0.1"),
                Map.entry("PM_HTTP_PORT", "0"),
                Map.entry("PM_MANAGEMENT_PORT", "0"),
                Map.entry("PM_API_KEYS", String.join(",", GOOD + ":" + keyOf(GOOD), EVIL + ":" + keyOf(EVIL),
                        BULK + ":" + keyOf(BULK), SLOW + ":" + keyOf(SLOW))),
                Map.entry("PM_WEBHOOK_SIGNING_KEY", "attack-suite-webhook-signing-key-0123456789"),
                Map.entry("PM_STATE_DIR", dir.resolve("state").toString()),
                Map.entry("PM_MAX_BODY_BYTES", Integer.toString(16 << 20)),
                Map.entry("PM_MAX_IMAGE_BYTES", Integer.toString(8 << 20)),
                Map.entry("PM_BODY_TIMEOUT_SECONDS", "4"),
                Map.entry("PM_RATE_LIMIT_PER_MINUTE", "40"),
                Map.entry("PM_MAX_CONCURRENT_JOBS", "5"),
                Map.entry("PM_MAX_IDENTITIES", Integer.toString(IDENTITY_QUOTA)),
                Map.entry("PM_SSE_MAX_PER_TENANT", Integer.toString(STREAMS_PER_TENANT)),
                Map.entry("PM_SSE_MAX_CONNECTIONS", "40"),
                Map.entry("PM_WEBHOOK_REPLAYS_PER_MINUTE", "3")));
        children = new ChildProcesses(dir);
        ProductionArtifact artifact = ProductionArtifact.of("gateway");
        System.out.println("running the " + artifact);
        List<String> lines = new ArrayList<>();
        gateway = children.startAndAwait("gateway", gw, l -> l.stream().anyMatch(s -> s.startsWith(
                "PM_GATEWAY_MANAGEMENT_URL=")), 180_000, lines, ChildProcesses.java(List.of("-Xmx256m",
                "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError"), artifact.classpath(), GatewayMain.class.getName()));
        String url = lines.stream().filter(s -> s.startsWith("PM_GATEWAY_URL=")).findFirst().orElseThrow();
        port = URI.create(url.substring("PM_GATEWAY_URL=".length())).getPort();
    }

    @AfterAll
    static void stop() {
        if (children != null) {
            children.close();
        }
        if (s3 != null) {
            s3.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void the_gateway_survives_every_attack_and_serves_an_ordinary_job_meanwhile() throws Exception {
        Attacks attacks = new Attacks(port, keyOf(EVIL), keyOf(BULK), keyOf(SLOW));
        ApiClient good = new ApiClient(URI.create("http://127.0.0.1:" + port + "/"), keyOf(GOOD));
        ApiClient evil = new ApiClient(URI.create("http://127.0.0.1:" + port + "/"), keyOf(EVIL));
        List<AttackOutcome> outcomes = new ArrayList<>();
        int crashed = 0;
        try (HealthWatch health = new HealthWatch(port)) {
            // Before any worker runs, so the job stays queued and its event streams stay open.
            String evilJob = submit(evil, 1);
            List<RawHttp> streams = new ArrayList<>();
            outcomes.add(attacks.sseFlood(evilJob, 3 * STREAMS_PER_TENANT, STREAMS_PER_TENANT, streams));
            crashed += alive() ? 0 : 1;
            outcomes.addAll(attacks.imageBombs());
            crashed += alive() ? 0 : 1;

            try (WorkerProcess worker = startWorker()) {
                String goodJob = submit(good, 2);
                CompletableFuture<JsonNode> goodDone = CompletableFuture.supplyAsync(() -> awaitTerminal(good,
                        goodJob));
                List<Runnable> rest = List.of(
                        () -> outcomes.add(slowBodies(attacks)),
                        () -> outcomes.add(attacks.bodyBudgetFlood(12, 8 << 20)),
                        () -> outcomes.add(attacks.hugeContentLength()),
                        () -> outcomes.add(attacks.partFlood()),
                        () -> outcomes.add(attacks.headerFlood()),
                        () -> outcomes.add(attacks.h2StreamFlood()),
                        () -> outcomes.add(attacks.h2RapidReset()),
                        () -> outcomes.add(attacks.h2HeaderFlood()),
                        () -> outcomes.add(attacks.identityFlood(25, IDENTITY_QUOTA)),
                        () -> outcomes.add(attacks.replayAbuse(evilJob, goodJob)),
                        () -> outcomes.add(attacks.forgedTenants(goodJob, keyOf(GOOD))));
                for (Runnable attack : rest) {
                    attack.run();
                    crashed += alive() ? 0 : 1;
                }
                streams.forEach(RawHttp::close);
                JsonNode done = goodDone.get(WAIT.toSeconds(), TimeUnit.SECONDS);
                assertEquals("succeeded", done.path("status").asText(), "the ordinary job: " + done);
            }
            int survived = (int) outcomes.stream().filter(AttackOutcome::survived).count();
            int serverErrors = outcomes.stream().mapToInt(AttackOutcome::serverErrors).sum();
            outcomes.forEach(o -> System.out.println(o.line()));
            System.out.println("healthz checks=" + health.checks() + " failed_or_over_1s=" + health.failures()
                    + " slowest_ms=" + health.slowestMillis());
            String summary = "attacks=" + outcomes.size() + " survived=" + survived + " 5xx=" + serverErrors
                    + " crashed=" + crashed;
            System.out.println(summary);
            assertEquals(0, crashed, summary);
            assertEquals(0, serverErrors, summary);
            assertEquals(outcomes.size(), survived, () -> summary + "\n" + String.join("\n",
                    outcomes.stream().filter(o -> !o.survived()).map(AttackOutcome::line).toList()));
            assertEquals(0, health.failures(), "healthz failed or took over 1 s " + health.failures() + " times of "
                    + health.checks() + ", last: " + health.lastFailure());
            assertTrue(health.checks() > 50, "healthz was asked throughout: " + health.checks());
        }
    }

    private static AttackOutcome slowBodies(Attacks attacks) {
        try {
            return attacks.slowBodies(120, Duration.ofSeconds(6));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean alive() {
        return gateway.isAlive();
    }

    private WorkerProcess startWorker() throws Exception {
        Path models = dir.resolve("tiny-models");
        TinyModelBuilder.create().build(models);
        Map<String, String> w = new HashMap<>(env);
        w.put("PM_WORKER_ID", "attack-suite-worker");
        w.put("PM_METRICS_PORT", "-1");
        w.put("PM_EXECUTION_PROVIDER", "cpu");
        return WorkerProcess.start(Settings.of(w), models);
    }

    private static String submit(ApiClient client, long seed) throws Exception {
        String request = "{\"prompt\":\"a portrait of a woman img\",\"num_steps\":2,\"width\":64,\"height\":64,"
                + "\"seed\":" + seed + "}";
        ApiClient.Reply r = client.submitPhotos(request, List.of(new ApiClient.Photo("me.png",
                SamplePortraits.png(seed, 96, 96))));
        assertEquals(202, r.status(), r.errorText());
        return r.body().path("id").asText();
    }

    private static JsonNode awaitTerminal(ApiClient client, String id) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                ApiClient.Reply r = client.get("v1/jobs/" + id);
                JsonNode job = r.body();
                if (job != null && List.of("succeeded", "failed", "canceled", "expired")
                        .contains(job.path("status").asText())) {
                    return job;
                }
                // polling interval of the job's status, not a guess at how long it takes
                Thread.sleep(200);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return Json.mapper().createObjectNode().put("status", "still running after " + WAIT.toSeconds() + " s");
    }
}
