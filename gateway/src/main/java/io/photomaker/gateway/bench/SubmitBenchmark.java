package io.photomaker.gateway.bench;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.photomaker.common.job.JobIds;
import io.photomaker.common.job.JobInput;
import io.photomaker.common.job.JobMessage;
import io.photomaker.common.job.JobRequest;
import io.photomaker.common.kafka.JobProducer;
import io.photomaker.common.storage.ObjectKeys;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.gateway.Gateway;
import io.photomaker.gateway.GatewayConfig;
import io.photomaker.gateway.http.GatewayRoutes;
import io.photomaker.gateway.state.JobStateProcessor;
import io.photomaker.gateway.state.LifecycleConfig;
import io.photomaker.gateway.submit.ImageVerifier;
import io.photomaker.testkit.infra.EmbeddedKafka;
import io.photomaker.testkit.infra.EmbeddedS3;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Measures what the gateway costs on top of the raw infrastructure, in one run on an embedded stack
 * (Kafka and S3 in this JVM, 127.0.0.1 only). Submissions carry four ~100 KB noise PNGs; the baseline
 * puts the same bytes to S3 and produces one Kafka record per submission, without the gateway. Both run
 * with the same concurrency in adjacent pairs of rounds after a warm-up, alternating which side goes first
 * (see {@link PairedRounds}). Then GET /v1/jobs/{id} runs at a fixed 1000 requests/s (latency counted from
 * each request's scheduled time). The last two lines are {@code submit_ratio=<baseline throughput / gateway
 * throughput, median over pairs>} and {@code get_p99_ms=<p99>}.
 */
public final class SubmitBenchmark {
    private static final int PHOTOS = 4;
    private static final int PHOTO_BYTES = 100_000;
    private static final int IN_FLIGHT = 16;
    private static final long WARMUP_MS = 5_000;
    private static final int WARMUP_PAIRS = 8;
    private static final long ROUND_MS = 3_000;
    private static final int DEFAULT_ROUNDS = 8;
    private static final int GET_RATE = 1000;
    private static final long GET_MEASURE_MS = 10_000;

    private SubmitBenchmark() {
    }

    /** Arguments: {@code --rounds N} (pairs of rounds, default 8), {@code --breakdown}. */
    public static void main(String[] args) throws Exception {
        List<String> options = Arrays.asList(args);
        int at = options.indexOf("--rounds");
        int rounds = at >= 0 && at + 1 < args.length ? Integer.parseInt(args[at + 1]) : DEFAULT_ROUNDS;
        if (rounds < 1 || rounds > 50) {
            throw new IllegalArgumentException("--rounds must be 1..50");
        }
        boolean breakdown = options.contains("--breakdown");
        quietLogs();
        long started = System.nanoTime();
        List<byte[]> photos = new ArrayList<>();
        for (int i = 0; i < PHOTOS; i++) {
            photos.add(NoiseImages.png(PHOTO_BYTES, 42 + i));
        }
        System.out.printf(Locale.ROOT, "photos: %d PNGs of %s bytes%n", PHOTOS,
                Arrays.toString(photos.stream().mapToInt(p -> p.length).toArray()));
        try (EmbeddedKafka kafka = EmbeddedKafka.start(2);
             TempDir s3Files = TempDir.create("photomaker-bench-s3");
             EmbeddedS3 s3 = EmbeddedS3.start(s3Files.path(), 0);
             ObjectStore store = new ObjectStore(s3.settings());
             JobProducer producer = new JobProducer(kafka.settings(), "bench-baseline");
             JobStateProcessor processor = JobStateProcessor.start(kafka.settings(), LifecycleConfig.defaults(),
                     null, new SimpleMeterRegistry())) {
            store.ensureBucket().get(30, TimeUnit.SECONDS);
            if (!processor.awaitRunning(java.time.Duration.ofSeconds(60))) {
                throw new IllegalStateException("the job state processor did not start: " + processor.state());
            }
            GatewayConfig config = GatewayConfig.dev(0).withLimits(1_000_000, 1_000_000);
            try (Gateway gateway = Gateway.start(config, kafka.settings(), s3.settings(), new GatewayRoutes())
                    .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS)) {
                Vertx clientVertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
                long clientThread = clientVertx.executeBlocking(() -> 0L).compose(x -> {
                    io.vertx.core.Promise<Long> id = io.vertx.core.Promise.promise();
                    clientVertx.getOrCreateContext().runOnContext(v -> id.complete(Thread.currentThread().getId()));
                    return id.future();
                }).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                HttpClient http = clientVertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
                        .setDefaultHost("127.0.0.1").setDefaultPort(gateway.port()), new PoolOptions().setHttp1MaxSize(64));
                Multipart body = Multipart.of(photos);
                ConcurrentLinkedQueue<String> ids = new ConcurrentLinkedQueue<>();
                Supplier<CompletableFuture<?>> viaGateway = () -> submit(http, body, ids);
                Supplier<CompletableFuture<?>> baseline = () -> rawSubmission(store, producer, photos);

                ClosedLoop loop = new ClosedLoop(IN_FLIGHT, clientThread, breakdown, System.out);
                // The stack's compiled code keeps improving for over a minute on two cores; alternate the sides
                // so both are warm when measuring starts.
                for (int i = 1; i <= WARMUP_PAIRS; i++) {
                    loop.run("warm-up baseline " + i, baseline, WARMUP_MS);
                    loop.run("warm-up gateway " + i, viaGateway, WARMUP_MS);
                    clear(store);
                }
                PairedRounds pairs = new PairedRounds();
                for (int round = 1; round <= rounds; round++) {
                    boolean baselineFirst = round % 2 == 1;
                    ClosedLoop.Round first = loop.run((baselineFirst ? "baseline" : "gateway") + " round " + round,
                            baselineFirst ? baseline : viaGateway, ROUND_MS);
                    clear(store);
                    ClosedLoop.Round second = loop.run((baselineFirst ? "gateway" : "baseline") + " round " + round,
                            baselineFirst ? viaGateway : baseline, ROUND_MS);
                    clear(store);
                    pairs.add(baselineFirst ? first : second, baselineFirst ? second : first);
                }
                pairs.print(System.out);
                double ratio = pairs.throughputRatio();

                List<String> targets = awaitInView(gateway, ids, 500);
                awaitSettled(gateway);
                getLoad(http, targets, 3_000);
                CpuBreakdown before = breakdown ? CpuBreakdown.take(clientThread) : null;
                long[] latencies = getLoad(http, targets, GET_MEASURE_MS);
                if (before != null) {
                    System.out.println("GET phase, CPU per request:");
                    CpuBreakdown.take(clientThread).print(before, latencies.length, System.out);
                }
                Arrays.sort(latencies);
                double p50 = latencies[latencies.length / 2] / 1e6;
                double p99 = latencies[(int) (latencies.length * 0.99)] / 1e6;
                System.out.printf(Locale.ROOT, "GET /v1/jobs/{id} at %d/s: n=%d p50=%.2f ms p99=%.2f ms max=%.2f ms%n",
                        GET_RATE, latencies.length, p50, p99, latencies[latencies.length - 1] / 1e6);
                System.out.printf(Locale.ROOT, "total time %.0f s%n", (System.nanoTime() - started) / 1e9);
                System.out.printf(Locale.ROOT, "submit_ratio=%.2f%n", ratio);
                System.out.printf(Locale.ROOT, "get_p99_ms=%.2f%n", p99);
                http.close();
                clientVertx.close();
            }
        }
        System.exit(0);
    }

    /** Brokers and servers in this JVM log a lot at start; the benchmark's own lines are what matters. */
    private static void quietLogs() {
        if (org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
                instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    private static CompletableFuture<?> rawSubmission(ObjectStore store, JobProducer producer, List<byte[]> photos) {
        String id = JobIds.newJobId();
        List<CompletableFuture<Void>> puts = new ArrayList<>();
        List<JobInput> inputs = new ArrayList<>();
        for (int i = 0; i < photos.size(); i++) {
            String key = ObjectKeys.input(id, i, "png");
            puts.add(store.put(key, photos.get(i), "image/png"));
            inputs.add(new JobInput(key, ImageVerifier.sha256(photos.get(i)), "image/png"));
        }
        JobRequest request = new JobRequest("a photo of a woman img", null, null, 20, null, null, null, 1L, 512, 512,
                1, null, null, null, null, null).withDefaults(1);
        JobMessage job = new JobMessage(id, "bench", request, inputs, JobIds.createdAt(id), 0, 1);
        return CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new))
                .thenCompose(v -> producer.enqueue(job, new RecordHeaders()));
    }

    private static CompletableFuture<?> submit(HttpClient http, Multipart body, ConcurrentLinkedQueue<String> ids) {
        CompletableFuture<Object> f = new CompletableFuture<>();
        http.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/v1/jobs")
                        .putHeader("Content-Type", body.contentType))
                .compose(req -> req.send(body.bytes))
                .compose(resp -> resp.body().map(b -> {
                    if (resp.statusCode() != 202) {
                        throw new IllegalStateException("HTTP " + resp.statusCode() + ": " + b);
                    }
                    String s = b.toString();
                    int at = s.indexOf("\"id\":\"");
                    if (ids.size() < 2000) {
                        ids.add(s.substring(at + 6, s.indexOf('"', at + 6)));
                    }
                    return b;
                }))
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        f.complete(null);
                    } else {
                        f.completeExceptionally(ar.cause());
                    }
                });
        return f;
    }

    /**
     * Where the S3 API server keeps its objects: files, as a real object store would, so the photos stored
     * during a round do not sit in this JVM's heap and make every garbage collection copy them.
     */
    private record TempDir(java.nio.file.Path path) implements AutoCloseable {
        static TempDir create(String prefix) throws java.io.IOException {
            return new TempDir(java.nio.file.Files.createTempDirectory(prefix));
        }

        @Override
        public void close() throws java.io.IOException {
            try (var paths = java.nio.file.Files.walk(path)) {
                for (java.nio.file.Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    java.nio.file.Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Deletes every stored photo so the in-memory store stays small between rounds. */
    private static void clear(ObjectStore store) throws Exception {
        while (store.deletePrefix("inputs/").get(60, TimeUnit.SECONDS) > 0) {
            // deletePrefix handles up to 1000 keys per call
        }
        System.gc();
    }

    private static List<String> awaitInView(Gateway gateway, ConcurrentLinkedQueue<String> ids, int n)
            throws InterruptedException {
        List<String> wanted = new ArrayList<>(ids).subList(0, Math.min(n, ids.size()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (wanted.stream().allMatch(id -> gateway.services().view().get(id).isPresent())) {
                return wanted;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("jobs did not reach the state view");
    }

    /**
     * Waits until the state view stops growing: the state processor works through the last rounds' events for
     * a few seconds after them, and GET latency is measured on a gateway that is serving GETs only.
     */
    private static void awaitSettled(Gateway gateway) throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(120);
        int last = -1;
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            int size = gateway.services().view().all().size();
            if (size != last) {
                last = size;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince > TimeUnit.SECONDS.toNanos(2)) {
                break;
            }
            Thread.sleep(100);
        }
        System.out.printf(Locale.ROOT, "state view settled at %d jobs after %.1f s%n", last,
                (System.nanoTime() - start) / 1e9);
    }

    /** Sends GETs at {@value #GET_RATE}/s for {@code millis}; latencies count from each scheduled send time. */
    private static long[] getLoad(HttpClient http, List<String> ids, long millis) throws InterruptedException {
        int total = (int) (GET_RATE * millis / 1000);
        long[] latencies = new long[total];
        CountDownLatch done = new CountDownLatch(total);
        AtomicInteger errors = new AtomicInteger();
        long interval = 1_000_000_000L / GET_RATE;
        long start = System.nanoTime() + 1_000_000;
        for (int i = 0; i < total; i++) {
            long scheduled = start + i * interval;
            long wait = scheduled - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int slot = i;
            http.request(HttpMethod.GET, "/v1/jobs/" + ids.get(i % ids.size()))
                    .compose(req -> req.send().compose(resp -> resp.body().map(b -> resp.statusCode())))
                    .onComplete(ar -> {
                        latencies[slot] = System.nanoTime() - scheduled;
                        if (ar.failed() || ar.result() != 200) {
                            errors.incrementAndGet();
                        }
                        done.countDown();
                    });
        }
        done.await(60, TimeUnit.SECONDS);
        if (errors.get() > 0) {
            System.out.println("GET errors: " + errors.get());
        }
        return latencies;
    }

    /** A prebuilt multipart submission body. */
    private record Multipart(String contentType, Buffer bytes) {
        static Multipart of(List<byte[]> photos) {
            String boundary = "bench-boundary-4f1c";
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            write(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"request\"\r\n"
                    + "Content-Type: application/json\r\n\r\n"
                    + "{\"prompt\":\"a photo of a woman img\",\"num_steps\":20,\"width\":512,\"height\":512}\r\n");
            for (int i = 0; i < photos.size(); i++) {
                write(out, "--" + boundary + "\r\nContent-Disposition: form-data; name=\"images\"; filename=\"p" + i
                        + ".png\"\r\nContent-Type: image/png\r\n\r\n");
                out.writeBytes(photos.get(i));
                write(out, "\r\n");
            }
            write(out, "--" + boundary + "--\r\n");
            return new Multipart("multipart/form-data; boundary=" + boundary, Buffer.buffer(out.toByteArray()));
        }

        private static void write(ByteArrayOutputStream out, String s) {
            out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
        }
    }
}
