package io.photomaker.gateway.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.UUID;
import java.util.WeakHashMap;
import java.util.function.IntSupplier;

/**
 * The gateway's Prometheus registry. Vert.x reports HTTP server timings into it (renamed to
 * {@code http_server_requests_seconds}, with histogram buckets and method, route and status labels);
 * the gateway adds {@code photomaker_jobs_submitted_total}, {@code photomaker_queue_depth} and
 * {@code photomaker_jobs_running}. Build Vert.x with {@link #newVertx} so HTTP timings are recorded.
 */
public final class GatewayMetrics {
    private static final String VERTX_RESPONSE_TIME = "vertx.http.server.response.time";
    private static final Map<Vertx, PrometheusMeterRegistry> REGISTRIES = new WeakHashMap<>();

    private final PrometheusMeterRegistry registry;
    private final Counter submitted;

    private GatewayMetrics(PrometheusMeterRegistry registry) {
        this.registry = registry;
        this.submitted = Counter.builder("photomaker.jobs.submitted")
                .description("Jobs accepted by this gateway").register(registry);
    }

    /** A Vert.x instance whose HTTP metrics go to a fresh gateway registry. */
    public static Vertx newVertx(VertxOptions options) {
        PrometheusMeterRegistry registry = newRegistry();
        MicrometerMetricsOptions metrics = new MicrometerMetricsOptions()
                .setEnabled(true)
                .setRegistryName("photomaker-gateway-" + UUID.randomUUID())
                .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
                .setLabels(EnumSet.of(Label.HTTP_METHOD, Label.HTTP_ROUTE, Label.HTTP_CODE));
        Vertx vertx = Vertx.builder()
                .with(new VertxOptions(options).setMetricsOptions(metrics))
                .withMetrics(new MicrometerMetricsFactory(registry))
                .build();
        synchronized (REGISTRIES) {
            REGISTRIES.put(vertx, registry);
        }
        return vertx;
    }

    /** The gateway metrics of {@code vertx}: its registry when made by {@link #newVertx}, else a private one. */
    public static GatewayMetrics forVertx(Vertx vertx) {
        PrometheusMeterRegistry r;
        synchronized (REGISTRIES) {
            r = REGISTRIES.get(vertx);
        }
        return new GatewayMetrics(r != null ? r : newRegistry());
    }

    /** Whether HTTP server timings reach this registry. */
    public static boolean recordsHttp(Vertx vertx) {
        synchronized (REGISTRIES) {
            return REGISTRIES.containsKey(vertx);
        }
    }

    private static PrometheusMeterRegistry newRegistry() {
        PrometheusMeterRegistry r = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        r.config().meterFilter(MeterFilter.renameTag(VERTX_RESPONSE_TIME, "code", "status"));
        r.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().equals(VERTX_RESPONSE_TIME) ? id.withName("http.server.requests") : id;
            }

            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (!id.getName().equals("http.server.requests")) {
                    return config;
                }
                return DistributionStatisticConfig.builder()
                        .percentilesHistogram(true)
                        .minimumExpectedValue((double) Duration.ofMillis(1).toNanos())
                        .maximumExpectedValue((double) Duration.ofSeconds(60).toNanos())
                        .build().merge(config);
            }
        });
        return r;
    }

    /**
     * Registers the queue gauges, read at scrape time: each gateway counts the jobs in the state partitions it
     * owns, so {@code sum()} over the gateways is the cluster's total.
     */
    public void bindQueue(IntSupplier queued, IntSupplier running) {
        Gauge.builder("photomaker.queue.depth", queued::getAsInt)
                .description("Jobs queued in the state partitions this gateway owns").register(registry);
        Gauge.builder("photomaker.jobs.running", running::getAsInt)
                .description("Jobs running in the state partitions this gateway owns").register(registry);
    }

    public void jobSubmitted() {
        submitted.increment();
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }
}
