package io.photomaker.gateway.settings;

import io.photomaker.common.config.Setting;
import io.photomaker.common.config.SettingRegistry;

/**
 * The PM_* settings the gateway reads, each declared once with its default, bounds and meaning; the gateway's
 * config records read them through {@code Settings}. A leaf package: it depends on nothing else in the gateway.
 */
public final class GatewaySettings {
    /** Every setting below, in order. */
    public static final SettingRegistry REGISTRY = new SettingRegistry("gateway");

    // listeners
    public static final Setting HTTP_HOST = REGISTRY.string("PM_HTTP_HOST", "127.0.0.1", "127.0.0.1",
            "Address the public API listens on.");
    public static final Setting HTTP_PORT = REGISTRY.integer("PM_HTTP_PORT", 8080, 0, 65_535,
            "Port of the public API; 0 = any free port.");
    public static final Setting MANAGEMENT_PORT = REGISTRY.integerComputed("PM_MANAGEMENT_PORT",
            "9090; any free port when PM_HTTP_PORT is 0 or PM_DEV_MODE is on", 0, 65_535,
            "Port of /healthz, /readyz and /metrics.");
    public static final Setting INTERNAL_HOST = REGISTRY.string("PM_INTERNAL_HOST", null, "PM_HTTP_HOST",
            "Address the gateway-to-gateway listener binds.");
    public static final Setting INTERNAL_PORT = REGISTRY.integerComputed("PM_INTERNAL_PORT",
            "8081; any free port when PM_HTTP_PORT is 0", 0, 65_535, "Port of the gateway-to-gateway listener.");
    public static final Setting INTERNAL_ADVERTISED_HOST = REGISTRY.string("PM_INTERNAL_ADVERTISED_HOST", "",
            "this machine's address", "Address other gateways reach this one at.");
    public static final Setting INTERNAL_TOKEN = REGISTRY.secret("PM_INTERNAL_TOKEN",
            "Shared secret of the gateway-to-gateway calls; required unless that listener is on loopback.");
    public static final Setting PUBLIC_URL = REGISTRY.string("PM_PUBLIC_URL", "", "relative links",
            "Public base URL put in links (job, output, events); empty = links relative to the gateway.");

    // access and request limits
    public static final Setting API_KEYS = REGISTRY.secret("PM_API_KEYS",
            "tenant:key pairs, comma-separated; required unless PM_DEV_MODE is on.");
    public static final Setting DEV_MODE = REGISTRY.bool("PM_DEV_MODE", false,
            "Development mode (a dev tenant without a key); only on a loopback PM_HTTP_HOST.");
    public static final Setting MAX_BODY_BYTES = REGISTRY.integer("PM_MAX_BODY_BYTES", 96L << 20, 1L << 20, 1L << 30,
            "Largest request body.");
    public static final Setting MAX_IMAGE_BYTES = REGISTRY.integer("PM_MAX_IMAGE_BYTES", 10 << 20, 1024, 64 << 20,
            "Largest ID photo file.");
    public static final Setting MAX_IMAGE_PIXELS = REGISTRY.integer("PM_MAX_IMAGE_PIXELS", 40_000_000L, 4096,
            200_000_000L, "Most pixels of one ID photo (width x height).");
    public static final Setting MAX_IMAGES = REGISTRY.integer("PM_MAX_IMAGES", 8, 1, 8,
            "Most ID photos one job or identity stacks.");
    public static final Setting RATE_LIMIT_PER_MINUTE = REGISTRY.integer("PM_RATE_LIMIT_PER_MINUTE", 120, 1,
            1_000_000, "Submissions per tenant and minute, shared by the live gateways.");
    public static final Setting MAX_CONCURRENT_JOBS = REGISTRY.integer("PM_MAX_CONCURRENT_JOBS", 20, 1, 1_000_000,
            "Unfinished jobs one tenant may have.");
    public static final Setting MAX_IDENTITIES = REGISTRY.integer("PM_MAX_IDENTITIES", 100, 1, 1000,
            "Stored identities per tenant.");
    public static final Setting WEBHOOK_REPLAYS_PER_MINUTE = REGISTRY.integer("PM_WEBHOOK_REPLAYS_PER_MINUTE", 10,
            1, 100_000, "Webhook delivery replays per tenant and minute.");
    public static final Setting BODY_BUDGET_BYTES = REGISTRY.integerComputed("PM_BODY_BUDGET_BYTES",
            "a quarter of the heap", 1L << 20, 1L << 40, "Request bodies held in memory at once, all requests together.");
    public static final Setting BODY_TIMEOUT_SECONDS = REGISTRY.seconds("PM_BODY_TIMEOUT_SECONDS", 60, 1, 3600,
            "Longest time a client may take to send a request body.");
    public static final Setting DECODE_BUDGET_BYTES = REGISTRY.integerComputed("PM_DECODE_BUDGET_BYTES",
            "a share of the heap", 16L << 20, 1L << 40, "Memory for decoding photos at once, all requests together.");
    public static final Setting HTTP2_MAX_STREAMS = REGISTRY.integer("PM_HTTP2_MAX_STREAMS", 8, 1, 1000,
            "Concurrent HTTP/2 streams per connection.");
    public static final Setting MAX_HEADER_BYTES = REGISTRY.integer("PM_MAX_HEADER_BYTES", 16 * 1024, 1024, 1 << 20,
            "Largest request head (request line and headers).");
    public static final Setting SSE_MAX_CONNECTIONS = REGISTRY.integer("PM_SSE_MAX_CONNECTIONS", 2000, 1, 1_000_000,
            "Open event streams on this gateway.");
    public static final Setting SSE_MAX_PER_TENANT = REGISTRY.integer("PM_SSE_MAX_PER_TENANT", 50, 1, 1_000_000,
            "Open event streams of one tenant on this gateway.");
    public static final Setting SSE_KEEPALIVE_SECONDS = REGISTRY.seconds("PM_SSE_KEEPALIVE_SECONDS", 15, 1, 3600,
            "Interval of keep-alive comments on event streams.");

    // models
    public static final Setting MODELS = REGISTRY.string("PM_MODELS", "photomaker-v1", "photomaker-v1",
            "Models this deployment has worker fleets for, comma-separated.");
    public static final Setting DEFAULT_MODEL = REGISTRY.string("PM_DEFAULT_MODEL", null, "the first of PM_MODELS",
            "Model of a job or identity that names none.");

    // retention
    public static final Setting OUTPUT_TTL_SECONDS = REGISTRY.seconds("PM_OUTPUT_TTL_SECONDS", 86_400, 1,
            365L * 24 * 3600, "How long the outputs of a succeeded job stay.");
    public static final Setting INPUT_RETENTION_SECONDS = REGISTRY.seconds("PM_INPUT_RETENTION_SECONDS", 0, 0,
            30L * 24 * 3600, "How long ID photos stay after a job ends; 0 = deleted at once.");
    public static final Setting JOB_RETENTION_SECONDS = REGISTRY.seconds("PM_JOB_RETENTION_SECONDS", 7L * 24 * 3600,
            1, 3650L * 24 * 3600, "How long a finished job stays in the live state before it moves to the archive.");

    // webhooks
    public static final Setting WEBHOOK_ALLOW_PRIVATE = REGISTRY.bool("PM_WEBHOOK_ALLOW_PRIVATE", false,
            "Deliver webhooks to loopback, private and link-local addresses.");
    public static final Setting WEBHOOK_MAX_ATTEMPTS = REGISTRY.integer("PM_WEBHOOK_MAX_ATTEMPTS", 8, 1, 50,
            "Attempts per webhook delivery, the first included.");
    public static final Setting WEBHOOK_BACKOFF_SECONDS = REGISTRY.string("PM_WEBHOOK_BACKOFF_SECONDS",
            "5,300,1800,7200,18000,36000", "5,300,1800,7200,18000,36000", "Delays between delivery attempts in seconds, comma-separated; the last repeats.");
    public static final Setting WEBHOOK_TIMEOUT_SECONDS = REGISTRY.seconds("PM_WEBHOOK_TIMEOUT_SECONDS", 15, 1, 60,
            "How long one webhook delivery may take.");
    public static final Setting WEBHOOK_DNS_TIMEOUT_SECONDS = REGISTRY.seconds("PM_WEBHOOK_DNS_TIMEOUT_SECONDS", 5,
            1, 60, "Longest wait for a receiver's host name to resolve.");
    public static final Setting WEBHOOK_MAX_IN_FLIGHT = REGISTRY.integer("PM_WEBHOOK_MAX_IN_FLIGHT", 256, 1,
            100_000, "Webhook deliveries in progress on this gateway.");
    public static final Setting WEBHOOK_MAX_IN_FLIGHT_PER_TENANT = REGISTRY.integer(
            "PM_WEBHOOK_MAX_IN_FLIGHT_PER_TENANT", 8, 1, 100_000,
            "Webhook deliveries of one tenant in progress on this gateway.");
    public static final Setting WEBHOOK_SIGNING_KEY = REGISTRY.secret("PM_WEBHOOK_SIGNING_KEY",
            "Server key each tenant's webhook secret derives from; drawn at start when unset.");
    public static final Setting WEBHOOK_PREVIOUS_SIGNING_KEY = REGISTRY.secret("PM_WEBHOOK_PREVIOUS_SIGNING_KEY",
            "The key before a rotation; it also signs until PM_WEBHOOK_PREVIOUS_KEY_UNTIL.");
    public static final Setting WEBHOOK_PREVIOUS_KEY_UNTIL = REGISTRY.string("PM_WEBHOOK_PREVIOUS_KEY_UNTIL", null,
            "while set", "ISO-8601 instant until which the previous key also signs.");

    // state processor
    public static final Setting STATE_DIR = REGISTRY.path("PM_STATE_DIR", "a fresh temporary directory",
            "Local store of the state processor.");
    public static final Setting STATE_STANDBY_REPLICAS = REGISTRY.integer("PM_STATE_STANDBY_REPLICAS", 1, 0, 3,
            "Standby copies of each state partition on other gateways.");
    public static final Setting STATE_BLOCK_CACHE_MB = REGISTRY.integer("PM_STATE_BLOCK_CACHE_MB", 64, 8, 65_536,
            "RocksDB block cache of all state stores together, MB.");
    public static final Setting STATE_WRITE_BUFFER_MB = REGISTRY.integer("PM_STATE_WRITE_BUFFER_MB", 16, 4, 65_536,
            "Memtables of all state stores together, charged to the block cache, MB.");
    public static final Setting STATE_RECORD_CACHE_MB = REGISTRY.integer("PM_STATE_RECORD_CACHE_MB", 8, 0, 4_096,
            "Kafka Streams' record cache in front of the stores, MB.");

    private GatewaySettings() {
    }
}
