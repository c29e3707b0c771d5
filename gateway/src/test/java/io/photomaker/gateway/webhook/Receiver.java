package io.photomaker.gateway.webhook;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/** A webhook receiver on 127.0.0.1 that records every request and answers as the test scripts it. */
final class Receiver implements AutoCloseable {
    /** One recorded request. */
    record Request(long at, MultiMap headers, String body) {
    }

    /** What to answer to the n-th request. */
    record Answer(int status, Map<String, String> headers) {
        static Answer of(int status) {
            return new Answer(status, Map.of());
        }
    }

    private final List<Request> requests = new ArrayList<>();
    private final IntFunction<Answer> script;
    private HttpServer server;

    private Receiver(IntFunction<Answer> script) {
        this.script = script;
    }

    /** Starts a receiver whose answer to the n-th request (1-based) is {@code script.apply(n)}. */
    static Receiver start(Vertx vertx, IntFunction<Answer> script) throws Exception {
        Receiver r = new Receiver(script);
        r.server = vertx.createHttpServer().requestHandler(r::serve).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return r;
    }

    private void serve(HttpServerRequest req) {
        req.body().onSuccess(body -> {
            int n;
            synchronized (requests) {
                requests.add(new Request(System.currentTimeMillis(),
                        MultiMap.caseInsensitiveMultiMap().addAll(req.headers()), body.toString()));
                n = requests.size();
            }
            Answer a = script.apply(n);
            var resp = req.response().setStatusCode(a.status());
            a.headers().forEach(resp::putHeader);
            resp.end();
        });
    }

    List<Request> requests() {
        synchronized (requests) {
            return List.copyOf(requests);
        }
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.actualPort() + path;
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
