package io.photomaker.gateway.cluster;

import io.photomaker.common.errors.ErrorType;
import io.photomaker.common.job.JobStatus;
import io.photomaker.common.json.Json;
import io.photomaker.gateway.state.LocalStores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateways' internal listener: {@code GET /internal/v1/jobs/{id}?partition=&stale=} answers a job from
 * this gateway's store partition ({@link OwnerReads#answer}: 200 with the job record, 404, or 503 when the
 * partition is not readable here), and {@code GET /internal/v1/tenants/{tenant}/jobs?partitions=&status=
 * &before=&limit=&stale=} a page of the tenant's jobs from the given partitions. It runs on a port of its own
 * that the public API does not serve, and every request must carry the shared internal token when one is set.
 * Until the state processor is wired in ({@link #serve}) every request answers 503.
 */
public final class InternalApi implements AutoCloseable {
    static final String JOBS = "/internal/v1/jobs/";
    static final String TENANTS = "/internal/v1/tenants/";
    private static final Logger LOG = LoggerFactory.getLogger(InternalApi.class);
    private static final int MAX_LIMIT = 101;

    private final HttpServer server;
    private final java.util.concurrent.atomic.AtomicLong answered = new java.util.concurrent.atomic.AtomicLong();
    private volatile OwnerReads owner;

    private InternalApi(HttpServer server) {
        this.server = server;
    }

    /** Binds the listener; the future completes once it listens (see {@link #port()}). */
    public static Future<InternalApi> start(Vertx vertx, InternalListener listener) {
        Router router = Router.router(vertx);
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setHost(listener.host())
                .setPort(listener.port()).setIdleTimeout(120));
        InternalApi api = new InternalApi(server);
        byte[] expected = listener.token().isEmpty() ? null
                : ("Bearer " + listener.token()).getBytes(StandardCharsets.UTF_8);
        router.route().handler(ctx -> api.authorize(ctx, expected));
        router.get(JOBS + ":id").handler(api::job);
        router.get(TENANTS + ":tenant/jobs").handler(api::list);
        return server.requestHandler(router).listen().map(s -> {
            LOG.info("internal listener on {}:{}, advertised as {}", listener.host(), s.actualPort(),
                    listener.advertisedHost());
            return api;
        });
    }

    /** The port it listens on. */
    public int port() {
        return server.actualPort();
    }

    /** Requests for jobs and listings answered so far (any status). */
    public long answered() {
        return answered.get();
    }

    /** Starts answering from {@code reads}. */
    public void serve(OwnerReads reads) {
        this.owner = reads;
    }

    private void authorize(RoutingContext ctx, byte[] expected) {
        if (expected != null) {
            String given = ctx.request().getHeader("Authorization");
            if (given == null || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
                reply(ctx, 401, Map.of("error", ErrorType.UNAUTHORIZED.wireName()));
                return;
            }
        }
        if (owner == null) {
            reply(ctx, 503, Map.of("error", "starting"));
            return;
        }
        answered.incrementAndGet();
        ctx.next();
    }

    private void job(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        int partition;
        try {
            partition = Integer.parseInt(param(ctx, "partition", "-1"));
        } catch (NumberFormatException e) {
            reply(ctx, 400, Map.of("error", "partition must be an integer"));
            return;
        }
        if (partition < 0 && owner.stores().self() != LocalStores.ALONE) {
            reply(ctx, 400, Map.of("error", "partition is required"));
            return;
        }
        boolean stale = Boolean.parseBoolean(param(ctx, "stale", "false"));
        owner.answerJson(id, partition, stale).onComplete(ar -> {
            if (ar.succeeded()) {
                Optional<byte[]> r = ar.result();
                if (r.isPresent()) {
                    ctx.response().putHeader("content-type", "application/json").end(Buffer.buffer(r.get()));
                } else {
                    reply(ctx, 404, Map.of("error", ErrorType.NOT_FOUND.wireName()));
                }
            } else {
                failed(ctx, ar.cause());
            }
        });
    }

    private void list(RoutingContext ctx) {
        List<Integer> partitions = new ArrayList<>();
        JobStatus status;
        int limit;
        try {
            for (String p : param(ctx, "partitions", "").split(",")) {
                if (!p.isBlank()) {
                    partitions.add(Integer.parseInt(p.trim()));
                }
            }
            limit = Math.max(1, Math.min(MAX_LIMIT, Integer.parseInt(param(ctx, "limit", "20"))));
            String s = ctx.request().getParam("status");
            status = s == null ? null : JobStatus.valueOf(s.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            reply(ctx, 400, Map.of("error", "bad parameters: " + e.getMessage()));
            return;
        }
        boolean stale = Boolean.parseBoolean(param(ctx, "stale", "false"));
        owner.list(ctx.pathParam("tenant"), status, ctx.request().getParam("before"), limit, partitions, stale)
                .onComplete(ar -> {
                    if (ar.succeeded()) {
                        reply(ctx, 200, Map.of("data", ar.result()));
                    } else {
                        failed(ctx, ar.cause());
                    }
                });
    }

    private static void failed(RoutingContext ctx, Throwable e) {
        if (e instanceof LocalStores.Unavailable) {
            reply(ctx, 503, Map.of("error", ErrorType.UNAVAILABLE.wireName(), "message", e.getMessage()));
        } else {
            LOG.warn("internal request {} failed: {}", ctx.request().uri(), e.toString());
            reply(ctx, 500, Map.of("error", ErrorType.INTERNAL_ERROR.wireName()));
        }
    }

    private static String param(RoutingContext ctx, String name, String fallback) {
        String v = ctx.request().getParam(name);
        return v == null || v.isEmpty() ? fallback : v;
    }

    private static void reply(RoutingContext ctx, int status, Object body) {
        ctx.response().setStatusCode(status).putHeader("content-type", "application/json")
                .end(Buffer.buffer(Json.bytes(body)));
    }

    @Override
    public void close() {
        server.close();
    }
}
