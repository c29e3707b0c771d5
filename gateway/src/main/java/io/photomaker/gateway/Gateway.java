package io.photomaker.gateway;

import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.config.S3Settings;
import io.photomaker.common.trace.Tracing;
import io.photomaker.gateway.cluster.InternalApi;
import io.photomaker.gateway.config.GatewayConfig;
import io.photomaker.gateway.config.Listeners;
import io.photomaker.gateway.metrics.GatewayMetrics;
import io.photomaker.gateway.openapi.ApiContract;
import io.photomaker.gateway.ops.ManagementVerticle;
import io.photomaker.gateway.server.HttpVerticle;
import io.photomaker.gateway.server.OperationTable;
import io.photomaker.gateway.server.RouteTable;
import io.photomaker.gateway.state.LifecycleConfig;
import io.photomaker.gateway.webhook.DeliveryVerticle;
import io.vertx.core.Deployable;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running gateway: the parts {@link GatewayAssembly} builds (object store, durable producer, the state
 * processor holding this gateway's share of the job state with its lifecycle settings and retention, the internal
 * listener for the other gateways' reads, the verdict feed, every API handler in the route table), started in
 * order: backends, webhook delivery where asked for, the HTTP API verticles, the management port.
 * {@link #close()} stops all of it (and Vert.x itself when the gateway made it). The HTTP API starts before the
 * state is restored; {@code /readyz} says when it is.
 */
public final class Gateway implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final Vertx vertx;
    private final boolean ownsVertx;
    private final GatewayServices services;
    private final List<String> deployments = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> resources;
    private volatile int port;
    private volatile int managementPort;
    private volatile HttpVerticle firstHttp;
    private volatile InternalApi internal;
    private volatile OperationTable operations;

    private Gateway(Vertx vertx, boolean ownsVertx, GatewayServices services, List<AutoCloseable> resources) {
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
        this.services = services;
        this.resources = resources;
    }

    /**
     * Starts a gateway on {@code vertx} (use {@link GatewayMetrics#newVertx} to get HTTP timings) without webhook
     * delivery: the state processor still plans deliveries, which another gateway's dispatcher carries out.
     */
    public static Future<Gateway> start(Vertx vertx, GatewayConfig config, LifecycleConfig lifecycle,
                                        KafkaSettings kafka, S3Settings s3) {
        return start(vertx, config, lifecycle, kafka, s3, false, Tracing.off(), false);
    }

    /**
     * Starts a whole gateway, webhook delivery included, on a Vert.x instance of its own (closed with the
     * gateway), recording submissions as spans of {@code tracing} (which the caller closes).
     */
    static Future<Gateway> startWithDelivery(GatewayConfig config, LifecycleConfig lifecycle, KafkaSettings kafka,
                                             S3Settings s3, Tracing tracing) {
        Vertx vertx = GatewayMetrics.newVertx(new VertxOptions());
        return start(vertx, config, lifecycle, kafka, s3, true, tracing, true)
                .onFailure(e -> vertx.close());
    }

    private static Future<Gateway> start(Vertx vertx, GatewayConfig config, LifecycleConfig lifecycle,
                                         KafkaSettings kafka, S3Settings s3, boolean ownsVertx, Tracing tracing,
                                         boolean deliverWebhooks) {
        if (config.devMode()) {
            LOG.warn("PM_DEV_MODE is on: requests without an API key are accepted as tenant '{}'. "
                    + "This is only allowed on a loopback address ({}); never expose this gateway.",
                    GatewayConfig.DEV_TENANT, config.host());
        }
        if (!GatewayMetrics.recordsHttp(vertx)) {
            LOG.info("this Vert.x instance was not built by GatewayMetrics.newVertx: /metrics has no HTTP timings");
        }
        List<AutoCloseable> resources = new CopyOnWriteArrayList<>();
        return vertx.executeBlocking(() -> GatewayAssembly.backends(vertx, config, lifecycle, kafka, s3, resources,
                        tracing), false)
                .compose(services -> prepareBucket(services).map(services))
                .compose(services -> {
                    Gateway g = new Gateway(vertx, ownsVertx, services, resources);
                    g.internal = resources.stream().filter(InternalApi.class::isInstance).map(InternalApi.class::cast)
                            .findFirst().orElseThrow();
                    Future<Void> background = deliverWebhooks ? g.deploy(new DeliveryVerticle(kafka, services.store(),
                            lifecycle.delivery(), services.metrics().registry())) : Future.succeededFuture();
                    return background.compose(v -> ApiContract.load(vertx))
                            .compose(contract -> g.deployHttp(contract, lifecycle))
                            .onFailure(e -> g.undeployAll());
                })
                .onFailure(e -> closeAll(resources));
    }

    private static Future<Void> prepareBucket(GatewayServices s) {
        var ctx = s.vertx().getOrCreateContext();
        if (s.config().devMode()) {
            return Future.fromCompletionStage(s.store().ensureBucket(), ctx);
        }
        return Future.fromCompletionStage(s.store().ping(), ctx).otherwise(e -> {
            LOG.warn("bucket {} does not answer yet: {}; /readyz reports it", s.store().bucket(), e.getMessage());
            return null;
        });
    }

    private Future<Void> deploy(Deployable verticle) {
        return vertx.deployVerticle(verticle).map(id -> {
            deployments.add(id);
            return (Void) null;
        });
    }

    private Future<Gateway> deployHttp(ApiContract contract, LifecycleConfig lifecycle) {
        return vertx.executeBlocking(() -> new GatewayAssembly(services, lifecycle, contract), false)
                .compose(assembly -> {
                    resources.add(assembly);
                    operations = assembly.operations();
                    return deployHttp(contract, assembly);
                });
    }

    private Future<Gateway> deployHttp(ApiContract contract, GatewayAssembly assembly) {
        Listeners listen = services.config().listeners();
        // Port 0 would give every instance its own random port; a negative port makes them share one.
        int listenPort = listen.port() == 0 ? -1 : listen.port();
        List<HttpVerticle> started = new CopyOnWriteArrayList<>();
        return vertx.deployVerticle(() -> {
            HttpVerticle v = new HttpVerticle(services.config(), services.limits().bodies(), contract,
                    assembly.operations(), listenPort);
            started.add(v);
            return v;
        }, new DeploymentOptions().setInstances(listen.httpInstances())).compose(id -> {
            deployments.add(id);
            firstHttp = started.get(0);
            port = firstHttp.port();
            ManagementVerticle management = new ManagementVerticle(listen.host(), listen.managementPort(),
                    assembly.ops());
            return vertx.deployVerticle(management).map(mid -> {
                deployments.add(mid);
                managementPort = management.port();
                LOG.info("gateway listening on http://{}:{} ({} HTTP verticles); /readyz and /metrics on port {}",
                        listen.host(), port, listen.httpInstances(), managementPort);
                return this;
            });
        });
    }

    /** The management port serving /healthz, /readyz and /metrics (the real one when configured with 0). */
    public int managementPort() {
        return managementPort;
    }

    public int port() {
        return port;
    }

    /** The methods and paths the HTTP API serves (as registered on its router). */
    public RouteTable routes() {
        return firstHttp.routes();
    }

    /** The route table: every operation of the API with its handler, body mode and validation. */
    public OperationTable operations() {
        return operations;
    }

    /** The listener other gateways read this one's state partitions through. */
    public InternalApi internal() {
        return internal;
    }

    public GatewayServices services() {
        return services;
    }

    public Vertx vertx() {
        return vertx;
    }

    private void undeployAll() {
        for (String id : deployments) {
            vertx.undeploy(id);
        }
        deployments.clear();
    }

    @Override
    public void close() {
        for (String id : deployments) {
            try {
                vertx.undeploy(id).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("could not undeploy {}: {}", id, e.toString());
            }
        }
        closeAll(resources);
        if (ownsVertx) {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("Vert.x did not close cleanly: {}", e.toString());
            }
        }
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", resources.get(i).getClass().getSimpleName(), e.toString());
            }
        }
        resources.clear();
    }
}
