package io.photomaker.devtools.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Asks a gateway's {@code /healthz} every 100 ms for as long as it runs, each time with a one-second limit, and
 * counts the answers that were missing, late or not 200.
 */
final class HealthWatch implements AutoCloseable {
    private static final Duration LIMIT = Duration.ofSeconds(1);
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(LIMIT).build();
    private final URI url;
    private final AtomicInteger checks = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicLong slowestMillis = new AtomicLong();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile String lastFailure = "";

    HealthWatch(int port) {
        this.url = URI.create("http://127.0.0.1:" + port + "/healthz");
        this.thread = new Thread(this::run, "health-watch");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running) {
            long t0 = System.nanoTime();
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(url).timeout(LIMIT).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
                if (r.statusCode() != 200) {
                    fail("status " + r.statusCode());
                }
            } catch (IOException e) {
                fail(e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            long took = (System.nanoTime() - t0) / 1_000_000;
            slowestMillis.accumulateAndGet(took, Math::max);
            checks.incrementAndGet();
            try {
                // the probe interval, not a wait for something to happen
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void fail(String why) {
        failures.incrementAndGet();
        lastFailure = why;
    }

    int checks() {
        return checks.get();
    }

    int failures() {
        return failures.get();
    }

    long slowestMillis() {
        return slowestMillis.get();
    }

    String lastFailure() {
        return lastFailure;
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(5_000);
    }
}
