package io.photomaker.gateway.support;

import io.photomaker.common.config.Settings;
import io.photomaker.common.event.JobEvent;
import io.photomaker.common.fixtures.TestJobs;
import io.photomaker.common.job.JobFailure;
import io.photomaker.common.job.JobMessage;
import io.photomaker.common.job.JobOutput;
import io.photomaker.common.kafka.JobProducer;
import io.photomaker.common.state.JobRecord;
import io.photomaker.common.storage.ObjectKeys;
import io.photomaker.gateway.Gateway;
import io.photomaker.gateway.GatewayConfig;
import io.photomaker.gateway.http.GatewayRoutes;
import io.photomaker.gateway.metrics.GatewayMetrics;
import io.photomaker.gateway.ops.StateReadiness;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A gateway on the shared embedded Kafka and S3, with a client and helpers that play the worker's part. */
public final class TestGateway implements AutoCloseable {
    private final Vertx vertx;
    private final Gateway gateway;
    private final ApiClient client;
    private final JobProducer worker;

    private TestGateway(Vertx vertx, Gateway gateway, io.photomaker.common.config.KafkaSettings kafka) {
        this.vertx = vertx;
        this.gateway = gateway;
        this.client = new ApiClient(gateway.port());
        this.worker = new JobProducer(kafka, "test-worker-" + UUID.randomUUID());
    }

    public static TestGateway start(GatewayConfig config) {
        return start(config, new GatewayRoutes());
    }

    public static TestGateway start(GatewayConfig config, GatewayRoutes routes) {
        return start(config, routes, SharedInfra.get().s3());
    }

    /** A gateway on the shared Kafka but its own object store. */
    public static TestGateway start(GatewayConfig config, GatewayRoutes routes, io.photomaker.common.config.S3Settings s3) {
        return start(config, routes, s3, SharedInfra.get().kafka());
    }

    /** A gateway on the given Kafka and object store. */
    public static TestGateway start(GatewayConfig config, GatewayRoutes routes, io.photomaker.common.config.S3Settings s3,
                                    io.photomaker.common.config.KafkaSettings kafka) {
        Vertx vertx = GatewayMetrics.newVertx(new VertxOptions());
        try {
            Gateway g = Gateway.start(vertx, config, kafka, s3, routes)
                    .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            try {
                awaitReady(g);
            } catch (RuntimeException e) {
                g.close();
                throw e;
            }
            return new TestGateway(vertx, g, kafka);
        } catch (Exception e) {
            vertx.close();
            throw new IllegalStateException("gateway did not start: " + e, e);
        }
    }

    /** A unique tenant name for one test class, e.g. {@code acme-1a2b3c}. */
    public static String tenant(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 6);
    }

    /** The API key tests use for {@code tenant}. */
    public static String keyOf(String tenant) {
        return "key-" + tenant + "-0123456789abcdef";
    }

    /** Config on 127.0.0.1, any free port, keys for {@code tenants}, and the given limits. */
    public static GatewayConfig config(int ratePerMinute, int maxConcurrent, String... tenants) {
        return config(ratePerMinute, maxConcurrent, Map.of(), tenants);
    }

    /** As above, with further PM_* settings. */
    public static GatewayConfig config(int ratePerMinute, int maxConcurrent, Map<String, String> more,
                                       String... tenants) {
        List<String> pairs = new ArrayList<>();
        for (String t : tenants) {
            pairs.add(t + ":" + keyOf(t));
        }
        Map<String, String> settings = new java.util.HashMap<>(more);
        settings.put("PM_HTTP_HOST", "127.0.0.1");
        settings.put("PM_HTTP_PORT", "0");
        settings.put("PM_API_KEYS", String.join(",", pairs));
        settings.put("PM_RATE_LIMIT_PER_MINUTE", Integer.toString(ratePerMinute));
        settings.put("PM_MAX_CONCURRENT_JOBS", Integer.toString(maxConcurrent));
        return GatewayConfig.from(Settings.of(settings));
    }

    /** Waits until {@code gateways} all see each other in the state processor's group. */
    public static void awaitCluster(TestGateway... gateways) {
        io.photomaker.testkit.Await.until(gateways.length + " gateways to see each other", Duration.ofSeconds(60),
                () -> java.util.Arrays.stream(gateways).allMatch(g -> g.gateway().services().usage().gateways()
                        == gateways.length && g.gateway().services().processor().isRunning()));
    }

    public ApiClient client() {
        return client;
    }

    /** A client of the management port (/healthz, /readyz, /metrics). */
    public ApiClient management() {
        return new ApiClient(gateway.managementPort());
    }

    public Gateway gateway() {
        return gateway;
    }

    public int port() {
        return gateway.port();
    }

    /** Waits until {@code jobId}'s record, read through this gateway, satisfies {@code condition}. */
    public JobRecord awaitRecord(String jobId, Predicate<JobRecord> condition) {
        JobRecord r;
        try {
            r = gateway.services().watcher().until(jobId, condition, Duration.ofSeconds(20))
                    .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("waiting for job " + jobId + " failed: " + e, e);
        }
        if (r == null || !condition.test(r)) {
            throw new AssertionError("job " + jobId + " did not reach the expected state; now "
                    + (r == null ? "absent" : r.status().wireName()));
        }
        return r;
    }

    /** Waits until this gateway's share of the job state is restored and caught up (what /readyz reports). */
    private static void awaitReady(Gateway g) {
        var s = g.services();
        StateReadiness state = new StateReadiness(s.processor(), s.feed(), s.usage());
        io.photomaker.testkit.Await.until("the gateway's job state to be ready", Duration.ofSeconds(60),
                () -> state.problem().isEmpty());
    }

    /** Plays a worker that starts {@code jobId} and finishes it with {@code outputs} PNGs stored in S3. */
    public void succeed(String jobId, byte[]... outputs) {
        JobMessage job = TestJobs.messageOf(awaitRecord(jobId, x -> true)).build();
        List<JobOutput> outs = new ArrayList<>();
        for (int i = 0; i < outputs.length; i++) {
            String key = ObjectKeys.output(jobId, i);
            join(SharedInfra.get().store().put(key, outputs[i], "image/png"));
            outs.add(new JobOutput(key, 64, 64, 1000L + i));
        }
        join(worker.publish(JobEvent.started(job, 1, "test-worker", 4)));
        join(worker.publish(JobEvent.succeeded(jobId, 1, "test-worker", outs)));
    }

    /** Plays a worker that fails {@code jobId} for good. */
    public void fail(String jobId, String type) {
        fail(jobId, type, "it broke");
    }

    /** Plays a worker that fails {@code jobId} for good with {@code message}. */
    public void fail(String jobId, String type, String message) {
        JobMessage job = TestJobs.messageOf(awaitRecord(jobId, x -> true)).build();
        join(worker.publish(JobEvent.started(job, 1, "test-worker", 4)));
        join(worker.publish(JobEvent.failed(jobId, 1, "test-worker", JobFailure.permanent(type, message))));
    }

    private static <T> T join(java.util.concurrent.CompletableFuture<T> f) {
        try {
            return f.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String requestJson(String prompt) {
        return "{\"prompt\":\"" + prompt + "\",\"num_steps\":4,\"width\":64,\"height\":64,\"seed\":1}";
    }

    public static final String GOOD_REQUEST = requestJson("a photo of a woman img in the snow");

    @Override
    public void close() {
        worker.close();
        gateway.close();
        try {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            // the test is over; a slow close must not fail it
        }
    }

    public static Duration seconds(long s) {
        return Duration.ofSeconds(s);
    }
}
