package io.photomaker.gateway;

import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.config.S3Settings;
import io.photomaker.common.kafka.JobProducer;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.common.trace.Tracing;
import io.photomaker.gateway.http.GatewayRoutes;
import io.photomaker.gateway.http.HttpVerticle;
import io.photomaker.gateway.jobs.EventSender;
import io.photomaker.gateway.cluster.InternalApi;
import io.photomaker.gateway.cluster.JobLister;
import io.photomaker.gateway.cluster.JobReader;
import io.photomaker.gateway.cluster.OwnerReads;
import io.photomaker.gateway.cluster.PeerClient;
import io.photomaker.gateway.jobs.JobJson;
import io.photomaker.gateway.jobs.JobLookup;
import io.photomaker.gateway.jobs.JobWatcher;
import io.photomaker.gateway.jobs.QueuePositions;
import io.photomaker.gateway.jobs.VerdictFeed;
import io.photomaker.gateway.limits.ClusterUsage;
import io.photomaker.gateway.limits.GatewayLimits;
import io.photomaker.gateway.metrics.GatewayMetrics;
import io.photomaker.gateway.openapi.ApiContract;
import io.photomaker.gateway.ops.KafkaProbe;
import io.photomaker.gateway.ops.ManagementVerticle;
import io.photomaker.gateway.state.JobStateProcessor;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running gateway: object store, durable producer, the state processor holding this gateway's share of
 * the job state (with its internal listener for the other gateways' reads), the verdict feed, the HTTP API
 * verticles and any mounted background verticles. {@link #close()} stops all of it (and Vert.x itself when
 * the gateway made it). The HTTP API starts before the state is restored; {@code /readyz} says when it is.
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

    private Gateway(Vertx vertx, boolean ownsVertx, GatewayServices services, List<AutoCloseable> resources) {
        this.vertx = vertx;
        this.ownsVertx = ownsVertx;
        this.services = services;
        this.resources = resources;
    }

    /** Starts the core API on {@code vertx} (use {@link GatewayMetrics#newVertx} to get HTTP timings). */
    public static Future<Gateway> start(Vertx vertx, GatewayConfig config, KafkaSettings kafka, S3Settings s3) {
        return start(vertx, config, kafka, s3, new GatewayRoutes());
    }

    /** Starts on a Vert.x instance of its own, closed with the gateway. */
    public static Future<Gateway> start(GatewayConfig config, KafkaSettings kafka, S3Settings s3, GatewayRoutes routes) {
        return start(config, kafka, s3, routes, Tracing.off());
    }

    /** As above, recording submissions as spans of {@code tracing} (which the caller closes). */
    public static Future<Gateway> start(GatewayConfig config, KafkaSettings kafka, S3Settings s3, GatewayRoutes routes,
                                        Tracing tracing) {
        Vertx vertx = GatewayMetrics.newVertx(new VertxOptions());
        return start(vertx, config, kafka, s3, routes, true, tracing)
                .onFailure(e -> vertx.close());
    }

    /** Starts the API plus everything mounted in {@code routes}. */
    public static Future<Gateway> start(Vertx vertx, GatewayConfig config, KafkaSettings kafka, S3Settings s3,
                                        GatewayRoutes routes) {
        return start(vertx, config, kafka, s3, routes, false, Tracing.off());
    }

    private static Future<Gateway> start(Vertx vertx, GatewayConfig config, KafkaSettings kafka, S3Settings s3,
                                         GatewayRoutes routes, boolean ownsVertx, Tracing tracing) {
        if (config.devMode()) {
            LOG.warn("PM_DEV_MODE is on: requests without an API key are accepted as tenant '{}'. "
                    + "This is only allowed on a loopback address ({}); never expose this gateway.",
                    GatewayConfig.DEV_TENANT, config.host());
        }
        if (!GatewayMetrics.recordsHttp(vertx)) {
            LOG.info("this Vert.x instance was not built by GatewayMetrics.newVertx: /metrics has no HTTP timings");
        }
        List<AutoCloseable> resources = new CopyOnWriteArrayList<>();
        return vertx.executeBlocking(() -> openBackends(vertx, config, kafka, s3, routes, resources, tracing), false)
                .compose(services -> prepareBucket(services).map(services))
                .compose(services -> {
                    services.reads().archive(routes.archive().apply(services));
                    Gateway g = new Gateway(vertx, ownsVertx, services, resources);
                    g.internal = resources.stream().filter(InternalApi.class::isInstance).map(InternalApi.class::cast)
                            .findFirst().orElseThrow();
                    return g.deployBackground(routes).compose(v -> ApiContract.load(vertx))
                            .compose(contract -> g.deployHttp(contract, routes))
                            .onFailure(e -> g.undeployAll());
                })
                .onFailure(e -> closeAll(resources));
    }

    private static GatewayServices openBackends(Vertx vertx, GatewayConfig config, KafkaSettings kafka, S3Settings s3,
                                                GatewayRoutes routes, List<AutoCloseable> resources, Tracing tracing)
            throws Exception {
        ObjectStore store = keep(resources, new ObjectStore(s3));
        JobProducer producer = keep(resources, new JobProducer(kafka, "photomaker-gateway"));
        KafkaProbe probe = keep(resources, new KafkaProbe(vertx, kafka, Duration.ofSeconds(2)));
        GatewayMetrics metrics = GatewayMetrics.forVertx(vertx);
        // The internal listener binds first: its port is the address the state processor advertises.
        InternalApi internal = keep(resources, InternalApi.start(vertx, config.internal())
                .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
        HostInfo advertised = new HostInfo(config.internal().advertisedHost(), internal.port());
        JobStateProcessor processor = keep(resources, JobStateProcessor.start(kafka, routes.lifecycle(),
                routes.retention() ? store : null, metrics.registry(), advertised));
        OwnerReads reads = new OwnerReads(vertx, processor.stores(), processor.arrivals(), config.recentJobWindow(),
                config.recentJobWait());
        resources.add(reads::close);
        internal.serve(reads);
        PeerClient peers = keep(resources, new PeerClient(vertx, config.internal().token()));
        JobReader reader = new JobReader(vertx, reads, peers);
        VerdictFeed feed = keep(resources, new VerdictFeed(kafka, "photomaker-gateway-feed").start());
        ClusterUsage usage = keep(resources, new ClusterUsage(kafka, "photomaker-gateway-usage",
                processor.stores()::members).start());
        QueuePositions positions = keep(resources, new QueuePositions(kafka).start(Duration.ofSeconds(5)));
        metrics.bindQueue(() -> (int) processor.gauges().queued(), () -> (int) processor.gauges().running());
        EventSender events = new EventSender(vertx, producer, probe, config.submitAckTimeout(), tracing);
        // The submission and replay rates hold for the whole cluster: each live gateway takes its share.
        GatewayLimits limits = new GatewayLimits(config.limits(), config.rateLimitPerMinute(), usage::gateways)
                .bindTo(metrics.registry());
        return new GatewayServices(vertx, config, store, producer, processor, reads, new JobLookup(reader),
                new JobLister(vertx, reads, peers), feed, new JobWatcher(vertx, feed, reader), positions, usage,
                new JobJson(config.outputTtl()), events, probe, metrics, limits);
    }

    private static <T extends AutoCloseable> T keep(List<AutoCloseable> resources, T resource) {
        resources.add(resource);
        return resource;
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

    private Future<Void> deployBackground(GatewayRoutes routes) {
        Future<Void> chain = Future.succeededFuture();
        for (var factory : routes.verticles()) {
            chain = chain.compose(v -> vertx.deployVerticle(factory.apply(services)).map(id -> {
                deployments.add(id);
                return (Void) null;
            }));
        }
        return chain;
    }

    private Future<Gateway> deployHttp(ApiContract contract, GatewayRoutes routes) {
        return vertx.executeBlocking(() -> new ApiHandlers(services, contract), false).compose(handlers -> {
            resources.add(handlers);
            return deployHttp(contract, routes, handlers);
        });
    }

    private Future<Gateway> deployHttp(ApiContract contract, GatewayRoutes routes, ApiHandlers handlers) {
        int instances = services.config().httpInstances();
        // Port 0 would give every instance its own random port; a negative port makes them share one.
        int listenPort = services.config().port() == 0 ? -1 : services.config().port();
        List<HttpVerticle> started = new CopyOnWriteArrayList<>();
        return vertx.deployVerticle(() -> {
            HttpVerticle v = new HttpVerticle(services, contract, handlers.routes(), routes, listenPort);
            started.add(v);
            return v;
        }, new DeploymentOptions().setInstances(instances)).compose(id -> {
            deployments.add(id);
            firstHttp = started.get(0);
            port = firstHttp.port();
            ManagementVerticle management = new ManagementVerticle(services);
            return vertx.deployVerticle(management).map(mid -> {
                deployments.add(mid);
                managementPort = management.port();
                LOG.info("gateway listening on http://{}:{} ({} HTTP verticles); /readyz and /metrics on port {}",
                        services.config().host(), port, instances, managementPort);
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
    public io.photomaker.gateway.http.RouteTable routes() {
        return firstHttp.routes();
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
                vertx.undeploy(id).toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                LOG.warn("could not undeploy {}: {}", id, e.toString());
            }
        }
        closeAll(resources);
        if (ownsVertx) {
            try {
                vertx.close().toCompletionStage().toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
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
