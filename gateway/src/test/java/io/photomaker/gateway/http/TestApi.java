package io.photomaker.gateway.http;

import io.photomaker.common.errors.ErrorType;
import io.photomaker.common.json.Json;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A small HTTP server for handler tests: a stand-in auth step that takes the tenant from the
 * {@code x-tenant} header, the handlers under test, and a failure handler that renders
 * {@link ApiError} as {@code {"error": {...}}} the way the gateway does.
 */
public final class TestApi implements AutoCloseable {
    private final HttpServer server;

    private TestApi(HttpServer server) {
        this.server = server;
    }

    public static TestApi start(Vertx vertx, Consumer<Router> mount) throws Exception {
        Router router = Router.router(vertx);
        router.route().handler(ctx -> {
            String tenant = ctx.request().getHeader("x-tenant");
            if (tenant == null) {
                ctx.fail(new ApiError(ErrorType.UNAUTHORIZED, "no tenant"));
                return;
            }
            ctx.put("tenant", tenant);
            ctx.next();
        });
        mount.accept(router);
        router.route().failureHandler(ctx -> {
            Throwable f = ctx.failure();
            ApiError e = f instanceof ApiError a ? a : new ApiError(ErrorType.INTERNAL_ERROR, String.valueOf(f));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("type", e.type());
            body.put("message", e.getMessage());
            if (e.field() != null) {
                body.put("field", e.field());
            }
            ctx.response().setStatusCode(e.status()).putHeader("content-type", "application/json")
                    .end(Json.string(Map.of("error", body)));
        });
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return new TestApi(server);
    }

    public String base() {
        return "http://127.0.0.1:" + server.actualPort();
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
