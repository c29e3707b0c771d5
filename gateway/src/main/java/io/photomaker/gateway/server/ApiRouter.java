package io.photomaker.gateway.server;

import io.photomaker.gateway.auth.AuthHandler;
import io.photomaker.gateway.config.GatewayConfig;
import io.photomaker.gateway.http.BodyBudget;
import io.photomaker.gateway.openapi.ApiContract;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RequestExtractor;
import io.vertx.ext.web.openapi.router.RouterBuilder;

/**
 * Builds the gateway's router from the OpenAPI document and the route table: one route per operation, in the
 * document's paths, with the document validating path, query and JSON body parameters before the handler runs
 * unless the table says the handler validates the request itself (the streamed photo submissions: the OpenAPI
 * validator buffers multipart bodies as text and does not accept image parts). Root handlers run first for every
 * request: the per-connection HTTP/2 stream cap, an answer deadline, authentication, then buffering of small
 * bodies.
 */
public final class ApiRouter {
    private ApiRouter() {
    }

    /**
     * The router serving the rows of {@code operations}, checking requests as {@code config} says and reading
     * control bodies under {@code bodies}.
     */
    public static Router create(Vertx vertx, GatewayConfig config, BodyBudget bodies, ApiContract contract,
                                OperationTable operations) {
        RouterBuilder builder = RouterBuilder.create(vertx, contract.contract(), RequestExtractor.withBodyHandler());
        builder.rootHandler(new StreamLimit(config.limits().http2MaxStreams()));
        // Longer than the longest Prefer: wait plus a slow upload, so it only catches a stuck request.
        builder.rootHandler(new AnswerDeadline(config.maxPreferWait().toMillis() + 60_000));
        builder.rootHandler(new AuthHandler(config.apiKeys(), config.anonymousAllowed()));
        builder.rootHandler(new BodyReader(operations, bodies, config.limits().bodyTimeout()));
        for (OpenAPIRoute route : builder.getRoutes()) {
            OperationTable.Row row = operations.row(route.getOperation().getOperationId());
            route.setDoSecurity(false);
            route.setDoValidation(row.validation() == OperationTable.Validation.OPENAPI);
            route.addHandler(row.handler());
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
