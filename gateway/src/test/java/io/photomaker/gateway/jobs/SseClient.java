package io.photomaker.gateway.jobs;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** A plain text/event-stream reader over java.net.http, for reading streams the way browsers do. */
final class SseClient implements AutoCloseable {
    record Event(long id, String name, String data) {
    }

    final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    final BlockingQueue<String> comments = new LinkedBlockingQueue<>();
    final CountDownLatch ended = new CountDownLatch(1);
    final HttpResponse<Stream<String>> response;
    private final Thread reader;

    private SseClient(HttpResponse<Stream<String>> response) {
        this.response = response;
        this.reader = new Thread(this::read, "sse-client");
        this.reader.setDaemon(true);
        this.reader.start();
    }

    static SseClient open(String url, String tenant, String lastEventId) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("x-tenant", tenant)
                .header("accept", "text/event-stream").GET();
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        HttpResponse<Stream<String>> r = HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofLines());
        return new SseClient(r);
    }

    private void read() {
        List<String> block = new ArrayList<>();
        try (Stream<String> lines = response.body()) {
            lines.forEach(line -> {
                if (!line.isEmpty()) {
                    block.add(line);
                    return;
                }
                dispatch(block);
                block.clear();
            });
        } catch (RuntimeException closed) {
            // the test closed the stream
        } finally {
            ended.countDown();
        }
    }

    private void dispatch(List<String> block) {
        Long id = null;
        String name = "message";
        StringBuilder data = null;
        for (String line : block) {
            if (line.startsWith(":")) {
                comments.add(line);
            } else if (line.startsWith("id:")) {
                id = Long.parseLong(line.substring(3).trim());
            } else if (line.startsWith("event:")) {
                name = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
                data = data == null ? new StringBuilder() : data.append('\n');
                data.append(line.substring(5).trim());
            }
        }
        if (data != null) {
            events.add(new Event(id == null ? -1 : id, name, data.toString()));
        }
    }

    Event next(Duration timeout) throws InterruptedException {
        Event e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (e == null) {
            throw new AssertionError("no event within " + timeout.toSeconds() + " s");
        }
        return e;
    }

    boolean awaitEnd(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        reader.interrupt();
        response.body().close();
    }
}
