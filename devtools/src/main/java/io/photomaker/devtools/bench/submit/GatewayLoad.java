package io.photomaker.devtools.bench.submit;

import io.vertx.core.Future;
import io.vertx.core.Promise;
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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The benchmark's HTTP client for the gateway: one event-loop thread (whose CPU the benchmark leaves
 * out), multipart submissions of a prebuilt body, and GETs at a fixed rate.
 */
final class GatewayLoad implements AutoCloseable {
    private static final int KEPT_IDS = 2000;

    private final Vertx vertx;
    private final HttpClient http;
    private final long threadId;
    private final Multipart body;
    private final List<String> ids = new ArrayList<>();

    GatewayLoad(int port, List<byte[]> photos) throws Exception {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        Promise<Long> id = Promise.promise();
        vertx.getOrCreateContext().runOnContext(v -> id.complete(Thread.currentThread().getId()));
        threadId = id.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setDefaultHost("127.0.0.1")
                .setDefaultPort(port), new PoolOptions().setHttp1MaxSize(64));
        body = Multipart.of(photos);
    }

    /** The id of the client's only thread. */
    long threadId() {
        return threadId;
    }

    /** One submission; completes when the gateway accepted it with 202 and keeps the first job ids. */
    CompletableFuture<?> submit() {
        return http.request(new RequestOptions().setMethod(HttpMethod.POST).setURI("/v1/jobs")
                        .putHeader("Content-Type", body.contentType))
                .compose(req -> req.send(body.bytes))
                .compose(resp -> resp.body().map(b -> {
                    if (resp.statusCode() != 202) {
                        throw new IllegalStateException("HTTP " + resp.statusCode() + ": " + b);
                    }
                    // Runs on the client's one thread, so the list needs no lock.
                    if (ids.size() < KEPT_IDS) {
                        String s = b.toString();
                        int at = s.indexOf("\"id\":\"");
                        ids.add(s.substring(at + 6, s.indexOf('"', at + 6)));
                    }
                    return b;
                }))
                .toCompletionStage().toCompletableFuture();
    }

    /** The first {@code n} accepted job ids, once every one of them answers 200 on GET. */
    List<String> awaitReadable(int n) throws Exception {
        Promise<List<String>> first = Promise.promise();
        vertx.getOrCreateContext().runOnContext(v -> first.complete(List.copyOf(ids.subList(0, Math.min(n,
                ids.size())))));
        List<String> wanted = first.future().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (String id : wanted) {
            while (status(id) != 200) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("job " + id + " never became readable");
                }
                Thread.sleep(50);
            }
        }
        return wanted;
    }

    private int status(String id) throws Exception {
        return http.request(HttpMethod.GET, "/v1/jobs/" + id)
                .compose(req -> req.send().compose(resp -> resp.body().map(b -> resp.statusCode())))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** GETs at {@code rate}/s for {@code millis}; latencies count from each scheduled send time. */
    long[] getLoad(List<String> targets, int rate, long millis) throws InterruptedException {
        int total = (int) (rate * millis / 1000);
        long[] latencies = new long[total];
        CountDownLatch done = new CountDownLatch(total);
        AtomicInteger errors = new AtomicInteger();
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime() + 1_000_000;
        for (int i = 0; i < total; i++) {
            long scheduled = start + i * interval;
            long wait = scheduled - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int slot = i;
            Future<Integer> f = http.request(HttpMethod.GET, "/v1/jobs/" + targets.get(i % targets.size()))
                    .compose(req -> req.send().compose(resp -> resp.body().map(b -> resp.statusCode())));
            f.onComplete(ar -> {
                latencies[slot] = System.nanoTime() - scheduled;
                if (ar.failed() || ar.result() != 200) {
                    errors.incrementAndGet();
                }
                done.countDown();
            });
        }
        if (!done.await(60, TimeUnit.SECONDS) || errors.get() > 0) {
            throw new IllegalStateException("GET load: " + errors.get() + " errors, " + done.getCount() + " unanswered");
        }
        return latencies;
    }

    @Override
    public void close() {
        http.close();
        vertx.close();
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
