package io.photomaker.gateway.http;

import io.photomaker.common.errors.ErrorType;
import io.photomaker.gateway.GatewayServices;
import io.photomaker.gateway.auth.AuthHandler;
import io.photomaker.gateway.openapi.ApiContract;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import java.util.List;
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
    public static final Set<String> SELF_VALIDATED = Set.of("createJob", GatewayRoutes.CREATE_IDENTITY);

    private ApiRouter() {
    }

    /**
     * The router serving {@code own} handlers (keyed by operation id), the mounted extra handlers, and
     * 501 for operations with neither.
     */
    public static Router create(GatewayServices services, ApiContract contract,
                                Map<String, Handler<RoutingContext>> own, GatewayRoutes extra) {
        RouterBuilder builder = RouterBuilder.create(services.vertx(), contract.contract(),
                RequestExtractor.withBodyHandler());
        builder.rootHandler(new StreamLimit(services.config().limits().http2MaxStreams()));
        // Longer than the longest Prefer: wait plus a slow upload, so it only catches a stuck request.
        builder.rootHandler(new AnswerDeadline(services.config().maxPreferWait().toMillis() + 60_000));
        builder.rootHandler(new AuthHandler(services.config().apiKeys(), services.config().anonymousAllowed()));
        builder.rootHandler(new BodyReader(services.limits().bodies(), services.config().limits().bodyTimeout()));
        for (OpenAPIRoute route : builder.getRoutes()) {
            String op = route.getOperation().getOperationId();
            boolean served = own.containsKey(op) || extra.handlers().containsKey(op);
            route.setDoSecurity(false);
            route.setDoValidation(served && !SELF_VALIDATED.contains(op));
            for (Handler<RoutingContext> h : handlersFor(op, services, own, extra)) {
                route.addHandler(h);
            }
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

    private static List<Handler<RoutingContext>> handlersFor(String op, GatewayServices services,
                                                             Map<String, Handler<RoutingContext>> own,
                                                             GatewayRoutes extra) {
        Handler<RoutingContext> mine = own.get(op);
        if (mine != null) {
            return List.of(mine);
        }
        var factory = extra.handlers().get(op);
        if (factory != null) {
            return List.of(factory.apply(services));
        }
        return List.of(ctx -> ctx.fail(new ApiError(ErrorType.NOT_IMPLEMENTED,
                "operation " + op + " is not available on this gateway")));
    }
}
