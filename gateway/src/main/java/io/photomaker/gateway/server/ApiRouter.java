package io.photomaker.gateway.server;

import io.photomaker.gateway.auth.AuthHandler;
import io.photomaker.gateway.config.GatewayConfig;
import io.photomaker.gateway.http.ApiError;
import io.photomaker.gateway.http.BodyBudget;
import io.photomaker.gateway.openapi.ApiContract;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import java.util.Map;
import java.util.Set;

/**
 * Builds the gateway's router from the OpenAPI document: one route per operation, in the document's
 * paths, with the document validating path, query and JSON body parameters before the handler runs.
 * Root handlers run first for every request: the per-connection HTTP/2 stream cap, an answer deadline,
 * authentication, then buffering of small bodies.
 * {@code createJob} and {@code createIdentity} are validated by their own handlers: the OpenAPI validator
 * buffers multipart bodies as text and does not accept image parts. Operations nothing is mounted for
 * skip validation and answer 501.
 */
public final class ApiRouter {
    /** Operations whose request is checked by their handler rather than by the OpenAPI validator. */
    public static final Set<String> SELF_VALIDATED = Set.of("createJob", "createIdentity");

    private ApiRouter() {
    }

    /**
     * The router serving {@code handlers} (keyed by operation id; operations without one answer 501), checking
     * requests as {@code config} says and reading control bodies under {@code bodies}.
     */
    public static Router create(Vertx vertx, GatewayConfig config, BodyBudget bodies, ApiContract contract,
                                Map<String, Handler<RoutingContext>> handlers) {
        RouterBuilder builder = RouterBuilder.create(vertx, contract.contract(), RequestExtractor.withBodyHandler());
        builder.rootHandler(new StreamLimit(config.limits().http2MaxStreams()));
        // Longer than the longest Prefer: wait plus a slow upload, so it only catches a stuck request.
        builder.rootHandler(new AnswerDeadline(config.maxPreferWait().toMillis() + 60_000));
        builder.rootHandler(new AuthHandler(config.apiKeys(), config.anonymousAllowed()));
        builder.rootHandler(new BodyReader(bodies, config.limits().bodyTimeout()));
        for (OpenAPIRoute route : builder.getRoutes()) {
            String op = route.getOperation().getOperationId();
            Handler<RoutingContext> handler = handlers.get(op);
            route.setDoSecurity(false);
            route.setDoValidation(handler != null && !SELF_VALIDATED.contains(op));
            route.addHandler(handler != null ? handler : ctx -> ctx.fail(new ApiError(501, "not_implemented",
                    "operation " + op + " is not available on this gateway")));
        }
        Router router = builder.createRouter();
        RouteTable table = new RouteTable();
        FailureHandler failures = new FailureHandler(table);
        router.route().failureHandler(failures);
        for (int status : new int[] {400, 401, 403, 404, 405, 413, 415, 417, 429, 500, 501, 503}) {
            router.errorHandler(status, failures);
        }
        table.load(router);
        return router;
    }
}
