package io.photomaker.gateway.ops;

import io.photomaker.gateway.GatewayServices;
import io.photomaker.gateway.http.ApiError;
import io.photomaker.gateway.http.Responses;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;

/**
 * The management port: {@code /healthz}, {@code /readyz} and {@code /metrics} for the platform (probes,
 * Prometheus), on a port of its own (PM_MANAGEMENT_PORT) that the public Service does not expose. Readiness and
 * metrics tell an outsider which backends are down and how loaded the gateway is; they are not part of the API.
 */
public final class ManagementVerticle extends AbstractVerticle {
    private final GatewayServices services;
    private HttpServer server;

    public ManagementVerticle(GatewayServices services) {
        this.services = services;
    }

    @Override
    public void start(Promise<Void> started) {
        OpsHandlers ops = new OpsHandlers(vertx, services.kafkaProbe(),
                new StateReadiness(services.processor(), services.feed(), services.usage()), services.store(),
                services.metrics());
        Router router = Router.router(vertx);
        router.get("/healthz").handler(ops::health);
        router.get("/readyz").handler(ops::ready);
        router.get("/metrics").handler(ops::metrics);
        router.route().handler(ctx -> Responses.error(ctx, ApiError.notFound("management resource "
                + ctx.request().path())));
        // Plain HTTP/1.1 as probes and Prometheus speak it: no cleartext HTTP/2 upgrade to go through.
        HttpServerOptions options = new HttpServerOptions()
                .setHost(services.config().host())
                .setPort(services.config().managementPort())
                .setMaxHeaderSize(8 * 1024)
                .setHttp2ClearTextEnabled(false);
        server = vertx.createHttpServer(options).requestHandler(router);
        server.listen().<Void>mapEmpty().onComplete(started);
    }

    /** The port it listens on (the real one when configured with 0). */
    public int port() {
        return server.actualPort();
    }

    @Override
    public void stop(Promise<Void> stopped) {
        server.close().onComplete(stopped);
    }
}
