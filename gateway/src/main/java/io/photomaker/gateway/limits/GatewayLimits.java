package io.photomaker.gateway.limits;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.photomaker.common.image.DecodeBudget;
import java.util.function.IntSupplier;

/**
 * The limits one gateway process shares among all its event loops and handlers: the per-tenant submission rate
 * (jobs and identities draw from the same bucket) and webhook replay rate, both shared across the cluster, and the budgets for request bodies,
 * image decodes and event streams.
 */
public final class GatewayLimits {
    private final LimitsConfig config;
    private final RateLimiter submissions;
    private final RateLimiter replays;
    private final BodyBudget bodies;
    private final DecodeBudget decodes;
    private final StreamSlots streams;

    /** Limits for a gateway that is alone. */
    public GatewayLimits(LimitsConfig config, int submissionsPerMinute) {
        this(config, submissionsPerMinute, () -> 1);
    }

    /**
     * @param gateways how many gateways are live: the per-tenant rates hold for the whole cluster, each gateway
     *                 taking its share (see {@link RateLimiter})
     */
    public GatewayLimits(LimitsConfig config, int submissionsPerMinute, IntSupplier gateways) {
        this.config = config;
        this.submissions = new RateLimiter(submissionsPerMinute, gateways, System::nanoTime);
        this.replays = new RateLimiter(config.replaysPerMinute(), gateways, System::nanoTime);
        this.bodies = new BodyBudget(config.bodyBudgetBytes());
        this.decodes = DecodeBudget.ofBytes(config.decodeBudgetBytes());
        this.streams = new StreamSlots(config.streamsPerProcess(), config.streamsPerTenant());
    }

    /**
     * Reports how full the budgets are: {@code photomaker_body_budget_used_bytes},
     * {@code photomaker_decode_budget_used_bytes} and {@code photomaker_event_streams_open}.
     */
    public GatewayLimits bindTo(MeterRegistry registry) {
        Gauge.builder("photomaker.body.budget.used", bodies, BodyBudget::usedBytes).baseUnit("bytes")
                .description("Request body bytes held by requests in progress").register(registry);
        Gauge.builder("photomaker.decode.budget.used", decodes, d -> d.capacityBytes() - d.availableBytes())
                .baseUnit("bytes").description("Memory reserved by photo decodes in progress").register(registry);
        Gauge.builder("photomaker.event.streams.open", streams, StreamSlots::openCount)
                .description("Open event streams on this gateway").register(registry);
        return this;
    }

    public LimitsConfig config() {
        return config;
    }

    /** Job submissions and identity creations, per tenant. */
    public RateLimiter submissions() {
        return submissions;
    }

    /** Webhook replays, per tenant. */
    public RateLimiter replays() {
        return replays;
    }

    public BodyBudget bodies() {
        return bodies;
    }

    public DecodeBudget decodes() {
        return decodes;
    }

    public StreamSlots streams() {
        return streams;
    }
}
