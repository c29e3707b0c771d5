package io.photomaker.gateway.http;

import io.photomaker.gateway.GatewayServices;
import io.photomaker.gateway.limits.LimitsConfig;
import io.photomaker.gateway.openapi.ApiContract;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Serves the HTTP API on one event loop. Several instances share the listening port; each builds its own
 * router from the shared contract and handlers. Start completes once the server listens.
 */
public final class HttpVerticle extends AbstractVerticle {
    /** Largest form attribute (the {@code request} JSON part sent without a file name). */
    public static final int MAX_FORM_ATTRIBUTE = 256 * 1024;
    /**
     * Largest piece of a request body handed to a handler at once. Netty reads up to 64 KiB per socket read;
     * the default of 8 KiB would split each read into eight pieces, each copied, wrapped and dispatched on
     * its own, for every megabyte of photos uploaded.
     */
    public static final int MAX_BODY_CHUNK = 64 * 1024;

    private final GatewayServices services;
    private final ApiContract contract;
    private final Map<String, Handler<RoutingContext>> handlers;
    private final GatewayRoutes extra;
    private final int listenPort;
    private HttpServer server;
    private final RouteTable routeTable = new RouteTable();

    /**
     * @param handlers the gateway's own handlers by operation id (shared by all instances)
     * @param extra mounted handlers of other parts of the gateway
     * @param listenPort the port to bind; negative values make instances share one random port
     */
    public HttpVerticle(GatewayServices services, ApiContract contract, Map<String, Handler<RoutingContext>> handlers,
                        GatewayRoutes extra, int listenPort) {
        this.services = services;
        this.contract = contract;
        this.handlers = handlers;
        this.extra = extra;
        this.listenPort = listenPort;
    }

    @Override
    public void start(Promise<Void> startPromise) {
        Router router = ApiRouter.create(services, contract, handlers, extra);
        routeTable.load(router);
        HttpServerOptions options = options(services.config().host(), listenPort, services.config().limits());
        server = vertx.createHttpServer(options).requestHandler(router).invalidRequestHandler(new InvalidRequests());
        server.listen().<Void>mapEmpty().onComplete(startPromise);
    }

    /**
     * The server's protective settings: header sizes for HTTP/1 and HTTP/2, few concurrent streams per HTTP/2
     * connection (each may carry an upload), a cap on stream resets per connection (the "rapid reset" flood), no
     * server push, and an idle timeout longer than the longest {@code Prefer: wait}.
     */
    static HttpServerOptions options(String host, int port, LimitsConfig limits) {
        int headers = limits.maxHeaderBytes();
        return new HttpServerOptions()
                .setHost(host)
                .setPort(port)
                .setMaxFormAttributeSize(MAX_FORM_ATTRIBUTE)
                .setMaxFormFields(64)
                .setMaxHeaderSize(headers)
                .setMaxInitialLineLength(Math.min(headers, 8192))
                .setMaxChunkSize(MAX_BODY_CHUNK)
                .setDecompressionSupported(false)
                .setCompressionSupported(false)
                .setInitialSettings(new Http2Settings()
                        .setMaxConcurrentStreams(limits.http2MaxStreams())
                        .setMaxHeaderListSize(headers)
                        .setPushEnabled(false))
                .setHttp2RstFloodMaxRstFramePerWindow(50)
                .setHttp2RstFloodWindowDuration(30)
                .setHttp2RstFloodWindowDurationTimeUnit(TimeUnit.SECONDS)
                .setIdleTimeout((int) limits.idleTimeout().toSeconds());
    }

    /** The port this instance listens on (the real one when configured with 0). */
    public int port() {
        return server.actualPort();
    }

    /** Every method and path this instance's router serves. */
    public RouteTable routes() {
        return routeTable;
    }

    @Override
    public void stop(Promise<Void> stopPromise) {
        server.close().onComplete(stopPromise);
    }
}
