package io.photomaker.gateway;

import io.photomaker.common.config.ConfigException;
import io.photomaker.common.config.Settings;
import io.photomaker.common.job.InputLimits;
import io.photomaker.gateway.auth.ApiKeys;
import io.photomaker.gateway.cluster.InternalListener;
import io.photomaker.gateway.limits.LimitsConfig;
import io.photomaker.gateway.models.ServedModels;
import io.photomaker.gateway.settings.GatewaySettings;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * Everything the gateway's HTTP API is configured with, validated in one place. Values come from PM_*
 * settings ({@link #from(Settings)}); the durations without a setting are tuning knobs with safe defaults
 * that tests may shorten through the {@code with...} copies.
 *
 * @param host listen address (PM_HTTP_HOST)
 * @param port listen port, 0 for any free port (PM_HTTP_PORT)
 * @param apiKeys accepted keys, held as digests (PM_API_KEYS)
 * @param devMode accept requests without a key as tenant {@value #DEV_TENANT}; loopback hosts only (PM_DEV_MODE)
 * @param maxBodyBytes largest request body (PM_MAX_BODY_BYTES)
 * @param maxImageBytes largest single ID photo (PM_MAX_IMAGE_BYTES)
 * @param maxImagePixels largest width x height of an ID photo, checked from its header (PM_MAX_IMAGE_PIXELS)
 * @param maxImages most ID photos per job (PM_MAX_IMAGES, at most 8)
 * @param rateLimitPerMinute job submissions per tenant per minute, also the burst size (PM_RATE_LIMIT_PER_MINUTE)
 * @param maxConcurrentJobs queued plus running jobs per tenant (PM_MAX_CONCURRENT_JOBS)
 * @param outputTtl how long outputs stay available after a job finishes (PM_OUTPUT_TTL_SECONDS)
 * @param presignTtl longest validity of a presigned output URL handed out by a redirect
 * @param recentJobWindow how young a job id must be for a GET to wait for it instead of answering 404
 * @param recentJobWait how long such a GET waits for the owner's state processor to store it
 * @param maxPreferWait longest {@code Prefer: wait=N} honoured
 * @param submitAckTimeout how long a submission waits for Kafka's acknowledgements before answering 503
 * @param idempotencyTtl how long an Idempotency-Key keeps pointing at its job
 * @param httpInstances HTTP verticle instances (event loops serving the API)
 * @param models the models served here and the default one (PM_MODELS, PM_DEFAULT_MODEL)
 * @param managementPort port of /healthz, /readyz and /metrics for the platform, on the same host; 0 = any free
 *                       port (PM_MANAGEMENT_PORT); the public port serves /healthz only
 * @param limits memory budgets, time limits and caps that keep the gateway up under hostile load
 * @param internal the listener other gateways read this one's job state through (PM_INTERNAL_*)
 */
public record GatewayConfig(
        String host,
        int port,
        ApiKeys apiKeys,
        boolean devMode,
        long maxBodyBytes,
        int maxImageBytes,
        long maxImagePixels,
        int maxImages,
        int rateLimitPerMinute,
        int maxConcurrentJobs,
        Duration outputTtl,
        Duration presignTtl,
        Duration recentJobWindow,
        Duration recentJobWait,
        Duration maxPreferWait,
        Duration submitAckTimeout,
        Duration idempotencyTtl,
        int httpInstances,
        ServedModels models,
        int managementPort,
        LimitsConfig limits,
        InternalListener internal) {

    public static final String DEV_TENANT = "dev";
    /** The model stacks at most this many ID embeddings. */
    public static final int MAX_ID_IMAGES = Math.toIntExact(GatewaySettings.MAX_IMAGES.max());
    /** Largest PM_MAX_BODY_BYTES: a submission body is held in one array (1 GiB). */
    public static final long MAX_BODY_BYTES = 1L << 30;

    public GatewayConfig {
        if (host == null || host.isBlank()) {
            throw new ConfigException("PM_HTTP_HOST must not be empty");
        }
        if (port < 0 || port > 65_535) {
            throw new ConfigException("PM_HTTP_PORT must be in 0..65535, was " + port);
        }
        if (apiKeys == null) {
            apiKeys = ApiKeys.none();
        }
        if (devMode && !isLoopback(host)) {
            throw new ConfigException("PM_DEV_MODE=true is only allowed when PM_HTTP_HOST is a loopback address"
                    + " (127.0.0.1, ::1 or localhost), was " + host);
        }
        if (!devMode && apiKeys.isEmpty()) {
            throw new ConfigException("PM_API_KEYS must list at least one tenant:key unless PM_DEV_MODE=true");
        }
        positive("PM_MAX_IMAGE_BYTES", maxImageBytes);
        positive("PM_MAX_IMAGE_PIXELS", maxImagePixels);
        positive("PM_RATE_LIMIT_PER_MINUTE", rateLimitPerMinute);
        positive("PM_MAX_CONCURRENT_JOBS", maxConcurrentJobs);
        if (maxImages < 1 || maxImages > MAX_ID_IMAGES) {
            throw new ConfigException("PM_MAX_IMAGES must be in 1.." + MAX_ID_IMAGES + ", was " + maxImages);
        }
        if (maxBodyBytes > MAX_BODY_BYTES) {
            throw new ConfigException("PM_MAX_BODY_BYTES must be at most " + MAX_BODY_BYTES + ", was " + maxBodyBytes);
        }
        if (maxBodyBytes < maxImageBytes) {
            throw new ConfigException("PM_MAX_BODY_BYTES (" + maxBodyBytes + ") must be at least PM_MAX_IMAGE_BYTES ("
                    + maxImageBytes + ")");
        }
        positive("PM_OUTPUT_TTL_SECONDS", outputTtl.toSeconds());
        positive("presign TTL", presignTtl.toMillis());
        positive("recent job window", recentJobWindow.toMillis());
        positive("recent job wait", recentJobWait.toMillis());
        positive("submit acknowledgement timeout", submitAckTimeout.toMillis());
        positive("idempotency TTL", idempotencyTtl.toMillis());
        if (maxPreferWait.isNegative() || maxPreferWait.toSeconds() > 60) {
            throw new ConfigException("the longest Prefer: wait must be in 0..60 s, was " + maxPreferWait.toSeconds());
        }
        if (httpInstances < 1 || httpInstances > 64) {
            throw new ConfigException("HTTP instances must be in 1..64, was " + httpInstances);
        }
        if (models == null) {
            models = ServedModels.V1_ONLY;
        }
        if (internal == null) {
            internal = new InternalListener(isLoopback(host) ? host : "127.0.0.1", 0, null, "");
        }
        internal.requireTokenUnlessLoopback();
        if (port != 0 && internal.port() == port) {
            throw new ConfigException("PM_INTERNAL_PORT must differ from PM_HTTP_PORT (" + port + ")");
        }
        if (internal.port() != 0 && internal.port() == managementPort) {
            throw new ConfigException("PM_INTERNAL_PORT must differ from PM_MANAGEMENT_PORT (" + managementPort + ")");
        }
        if (managementPort < 0 || managementPort > 65_535 || managementPort != 0 && managementPort == port) {
            throw new ConfigException("PM_MANAGEMENT_PORT must be in 0..65535 and differ from PM_HTTP_PORT, was "
                    + managementPort);
        }
        if (limits == null) {
            throw new ConfigException("the gateway needs its limits");
        }
        if (maxBodyBytes > limits.bodyBudgetBytes()) {
            throw new ConfigException("PM_MAX_BODY_BYTES (" + maxBodyBytes + ") is larger than PM_BODY_BUDGET_BYTES ("
                    + limits.bodyBudgetBytes() + ", a quarter of the heap unless set): lower it or give the gateway"
                    + " more heap");
        }
    }

    /** Reads the gateway's PM_* settings. */
    public static GatewayConfig from(Settings s) {
        return new GatewayConfig(
                s.string(GatewaySettings.HTTP_HOST),
                s.integer(GatewaySettings.HTTP_PORT),
                ApiKeys.parse(s.string(GatewaySettings.API_KEYS, "")),
                s.bool(GatewaySettings.DEV_MODE),
                s.longValue(GatewaySettings.MAX_BODY_BYTES),
                s.integer(GatewaySettings.MAX_IMAGE_BYTES),
                s.longValue(GatewaySettings.MAX_IMAGE_PIXELS),
                s.integer(GatewaySettings.MAX_IMAGES),
                s.integer(GatewaySettings.RATE_LIMIT_PER_MINUTE),
                s.integer(GatewaySettings.MAX_CONCURRENT_JOBS),
                s.seconds(GatewaySettings.OUTPUT_TTL_SECONDS),
                Duration.ofMinutes(5),
                Duration.ofSeconds(30),
                Duration.ofSeconds(3),
                Duration.ofSeconds(60),
                Duration.ofSeconds(15),
                Duration.ofHours(24),
                Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors())),
                ServedModels.from(s),
                s.integer(GatewaySettings.MANAGEMENT_PORT, defaultManagementPort(s)),
                LimitsConfig.from(s),
                InternalListener.from(s, s.string(GatewaySettings.HTTP_HOST),
                        s.integer(GatewaySettings.HTTP_PORT)));
    }

    /** 9090, or any free port when the API itself takes any free port or runs in dev mode (tests, laptops). */
    private static int defaultManagementPort(Settings s) {
        return s.integer(GatewaySettings.HTTP_PORT) == 0 || s.bool(GatewaySettings.DEV_MODE) ? 0 : 9090;
    }

    /** Dev-mode defaults on 127.0.0.1 and the given port, with no keys. */
    public static GatewayConfig dev(int port) {
        return from(Settings.of(java.util.Map.of(GatewaySettings.DEV_MODE.name(), "true", GatewaySettings.HTTP_PORT.name(),
                Integer.toString(port))));
    }

    public GatewayConfig withLimits(int newRateLimitPerMinute, int newMaxConcurrentJobs) {
        return new GatewayConfig(host, port, apiKeys, devMode, maxBodyBytes, maxImageBytes, maxImagePixels, maxImages,
                newRateLimitPerMinute, newMaxConcurrentJobs, outputTtl, presignTtl, recentJobWindow, recentJobWait,
                maxPreferWait, submitAckTimeout, idempotencyTtl, httpInstances, models, managementPort, limits,
                internal);
    }

    public GatewayConfig withSubmitAckTimeout(Duration timeout) {
        return new GatewayConfig(host, port, apiKeys, devMode, maxBodyBytes, maxImageBytes, maxImagePixels, maxImages,
                rateLimitPerMinute, maxConcurrentJobs, outputTtl, presignTtl, recentJobWindow, recentJobWait,
                maxPreferWait, timeout, idempotencyTtl, httpInstances, models, managementPort, limits,
                internal);
    }

    public GatewayConfig withImageLimits(long newMaxBodyBytes, int newMaxImageBytes, long newMaxImagePixels) {
        return new GatewayConfig(host, port, apiKeys, devMode, newMaxBodyBytes, newMaxImageBytes, newMaxImagePixels,
                maxImages, rateLimitPerMinute, maxConcurrentJobs, outputTtl, presignTtl, recentJobWindow,
                recentJobWait, maxPreferWait, submitAckTimeout, idempotencyTtl, httpInstances, models, managementPort,
                limits, internal);
    }

    public GatewayConfig withModels(ServedModels newModels) {
        return new GatewayConfig(host, port, apiKeys, devMode, maxBodyBytes, maxImageBytes, maxImagePixels, maxImages,
                rateLimitPerMinute, maxConcurrentJobs, outputTtl, presignTtl, recentJobWindow, recentJobWait,
                maxPreferWait, submitAckTimeout, idempotencyTtl, httpInstances, newModels, managementPort, limits,
                internal);
    }

    /** The photo limits submissions are checked against, as work items carry them to the workers. */
    public InputLimits inputLimits() {
        return new InputLimits(maxImagePixels, maxImageBytes, maxImages);
    }

    /** Whether requests may arrive without an API key. */
    public boolean anonymousAllowed() {
        return devMode;
    }

    static boolean isLoopback(String host) {
        String h = host.trim();
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        // Only literal addresses are judged: a name that needs DNS could resolve differently later.
        if (!h.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static void positive(String name, long v) {
        if (v <= 0) {
            throw new ConfigException(name + " must be positive, was " + v);
        }
    }
}
