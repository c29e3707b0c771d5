package io.photomaker.gateway.limits;

import io.photomaker.common.image.DecodeBudget;

/**
 * The limits one gateway process shares among all its event loops and handlers: the per-tenant submission rate
 * (jobs and identities draw from the same bucket), the webhook replay rate, and the budgets for request bodies,
 * image decodes and event streams.
 */
public final class GatewayLimits {
    private final LimitsConfig config;
    private final RateLimiter submissions;
    private final RateLimiter replays;
    private final BodyBudget bodies;
    private final DecodeBudget decodes;
    private final StreamSlots streams;

    public GatewayLimits(LimitsConfig config, int submissionsPerMinute) {
        this.config = config;
        this.submissions = new RateLimiter(submissionsPerMinute);
        this.replays = new RateLimiter(config.replaysPerMinute());
        this.bodies = new BodyBudget(config.bodyBudgetBytes());
        this.decodes = DecodeBudget.ofBytes(config.decodeBudgetBytes());
        this.streams = new StreamSlots(config.streamsPerProcess(), config.streamsPerTenant());
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
