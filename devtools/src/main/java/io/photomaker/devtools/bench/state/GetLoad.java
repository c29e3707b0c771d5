package io.photomaker.devtools.bench.state;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Sends GETs at a fixed rate, open loop (a slow answer does not delay the next request), and measures each
 * from the moment it was due to be sent, so queueing behind a stall counts. Non-200 answers are counted.
 */
final class GetLoad {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

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
    Result run(int perSecond, int count, IntFunction<HttpRequest> request) throws Exception {
        long interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
        long start = System.nanoTime();
        double[] millis = new double[count];
        AtomicInteger failed = new AtomicInteger();
        List<CompletableFuture<?>> pending = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long due = start + i * interval;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            int n = i;
            pending.add(http.sendAsync(request.apply(i), HttpResponse.BodyHandlers.discarding())
                    .handle((r, e) -> {
                        millis[n] = (System.nanoTime() - due) / 1e6;
                        if (e != null || r.statusCode() != 200) {
                            failed.incrementAndGet();
                        }
                        return null;
                    }));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        return new Result(millis, failed.get());
    }

    /** A GET of {@code path} on {@code port} with {@code key}. */
    static HttpRequest get(int port, String path, String key) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(30)).GET().build();
    }
}
