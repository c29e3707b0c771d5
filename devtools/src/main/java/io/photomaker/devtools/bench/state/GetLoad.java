package io.photomaker.devtools.bench.state;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntFunction;

/**
 * Sends GETs at a fixed rate, open loop (a slow answer does not delay the next request), and measures each
 * from the moment it was due to be sent, so queueing behind a stall counts, in the gateway or in this client.
 * The client is what a well-behaved API client is: one event-loop thread and a fixed pool of
 * {@value #CONNECTIONS} keep-alive connections; a request finding every connection busy waits in the pool's
 * queue, and that wait is part of its latency. (An unbounded client opens a connection, and here a thread,
 * per request in flight whenever the gateway slows down, and then measures its own connection churn.)
 * Non-200 answers are counted.
 */
final class GetLoad implements AutoCloseable {
    static final int CONNECTIONS = 16;

    private final Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
    private final HttpClient http = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true)
            .setConnectTimeout(5_000), new PoolOptions().setHttp1MaxSize(CONNECTIONS));

    /** One GET: the port, the path and the API key. */
    record Get(int port, String path, String key) {
    }

    /** The latencies of one run, in milliseconds, and how many answers were not 200. */
    record Result(double[] millis, int failed) {
        double percentile(double q) {
            double[] sorted = millis.clone();
            Arrays.sort(sorted);
            return sorted.length == 0 ? Double.NaN
                    : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
        }
    }

    /** Sends {@code count} requests at {@code perSecond}; {@code request} builds the i-th one. */
    Result run(int perSecond, int count, IntFunction<Get> request) throws InterruptedException {
        long interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
        long start = System.nanoTime();
        double[] millis = new double[count];
        AtomicInteger failed = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(count);
        for (int i = 0; i < count; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            int n = i;
            send(request.apply(i)).onComplete(ar -> {
                millis[n] = (System.nanoTime() - due) / 1e6;
                if (ar.failed() || ar.result() != 200) {
                    failed.incrementAndGet();
                }
                done.countDown();
            });
        }
        if (!done.await(2, TimeUnit.MINUTES)) {
            throw new IllegalStateException(done.getCount() + " of " + count + " GETs unanswered after two minutes");
        }
        return new Result(millis, failed.get());
    }

    private Future<Integer> send(Get g) {
        RequestOptions o = new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(g.port())
                .setURI(g.path()).putHeader("Authorization", "Bearer " + g.key()).setIdleTimeout(30_000);
        return http.request(o).compose(req -> req.send().compose(resp -> resp.body().map(b -> resp.statusCode())));
    }

    /** A GET of {@code path} on {@code port} with {@code key}. */
    static Get get(int port, String path, String key) {
        return new Get(port, path, key);
    }

    @Override
    public void close() {
        http.close().await();
        vertx.close().await();
    }
}
