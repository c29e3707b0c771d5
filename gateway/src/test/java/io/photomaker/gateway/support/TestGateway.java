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

    private TestGateway(Vertx vertx, Gateway gateway) {
        this.vertx = vertx;
        this.gateway = gateway;
        this.client = new ApiClient(gateway.port());
        this.worker = new JobProducer(SharedInfra.get().kafka(), "test-worker-" + UUID.randomUUID());
    }

    public static TestGateway start(GatewayConfig config) {
        return start(config, new GatewayRoutes());
    }

    public static TestGateway start(GatewayConfig config, GatewayRoutes routes) {
        return start(config, routes, SharedInfra.get().s3());
    }

    /** A gateway on the shared Kafka but its own object store. */
    public static TestGateway start(GatewayConfig config, GatewayRoutes routes, io.photomaker.common.config.S3Settings s3) {
        SharedInfra infra = SharedInfra.get();
        Vertx vertx = GatewayMetrics.newVertx(new VertxOptions());
        try {
            Gateway g = Gateway.start(vertx, config, infra.kafka(), s3, routes)
                    .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
            return new TestGateway(vertx, g);
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
        List<String> pairs = new ArrayList<>();
        for (String t : tenants) {
            pairs.add(t + ":" + keyOf(t));
        }
        return GatewayConfig.from(Settings.of(Map.of(
                "PM_HTTP_HOST", "127.0.0.1",
                "PM_HTTP_PORT", "0",
                "PM_API_KEYS", String.join(",", pairs),
                "PM_RATE_LIMIT_PER_MINUTE", Integer.toString(ratePerMinute),
                "PM_MAX_CONCURRENT_JOBS", Integer.toString(maxConcurrent))));
    }

    public ApiClient client() {
        return client;
    }

    public Gateway gateway() {
        return gateway;
    }

    public int port() {
        return gateway.port();
    }

    /** Waits until this gateway's view has a record of {@code jobId} that satisfies {@code condition}. */
    public JobRecord awaitRecord(String jobId, Predicate<JobRecord> condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        var view = gateway.services().view();
        while (System.nanoTime() < deadline) {
            JobRecord r = view.get(jobId).orElse(null);
            if (r != null && condition.test(r)) {
                return r;
            }
            var f = new java.util.concurrent.CompletableFuture<JobRecord>();
            java.util.function.Consumer<JobRecord> l = rec -> {
                if (rec.id().equals(jobId) && condition.test(rec)) {
                    f.complete(rec);
                }
            };
            view.addListener(l);
            try {
                JobRecord again = view.get(jobId).orElse(null);
                if (again != null && condition.test(again)) {
                    return again;
                }
                return f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (Exception e) {
                break;
            } finally {
                view.removeListener(l);
            }
        }
        throw new AssertionError("job " + jobId + " did not reach the expected state; now "
                + view.get(jobId).map(r -> r.status().wireName()).orElse("absent"));
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
        JobMessage job = TestJobs.messageOf(awaitRecord(jobId, x -> true)).build();
        join(worker.publish(JobEvent.started(job, 1, "test-worker", 4)));
        join(worker.publish(JobEvent.failed(jobId, 1, "test-worker", JobFailure.permanent(type, "it broke"))));
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
