package io.photomaker.gateway.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps the requests one HTTP/2 connection has in progress at once, refusing the stream over the cap
 * ({@code RST_STREAM REFUSED_STREAM}, which a client may retry). The server announces the same cap in its
 * SETTINGS, but the HTTP/2 stack enforces that only once the client acknowledges them, and a hostile client
 * never does: without this, one connection could hold hundreds of pending uploads.
 */
public final class StreamLimit implements Handler<RoutingContext> {
    private static final long REFUSED_STREAM = 0x7;

    private final int maxPerConnection;
    private final Map<HttpConnection, AtomicInteger> active = Collections.synchronizedMap(new WeakHashMap<>());

    public StreamLimit(int maxPerConnection) {
        this.maxPerConnection = maxPerConnection;
    }

    @Override
    public void handle(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        if (req.version() != HttpVersion.HTTP_2) {
            ctx.next();
            return;
        }
        AtomicInteger inProgress = active.computeIfAbsent(req.connection(), c -> new AtomicInteger());
        if (inProgress.incrementAndGet() > maxPerConnection) {
            inProgress.decrementAndGet();
            req.response().reset(REFUSED_STREAM);
            return;
        }
        ctx.addEndHandler(v -> inProgress.decrementAndGet());
        ctx.next();
    }
}
