package io.photomaker.gateway.state;

import io.photomaker.common.config.ConfigException;
import io.photomaker.common.config.Settings;
import io.photomaker.gateway.settings.GatewaySettings;
import io.photomaker.gateway.webhook.WebhookPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Settings of the job lifecycle's server side: retention of ID photos, outputs and job records, webhook
 * signing and delivery, the state processor's local store and timers. All values are read and checked
 * here, in one place.
 *
 * @param inputRetention how long ID photos stay after a job ends (PM_INPUT_RETENTION_SECONDS, 0 = at once)
 * @param outputTtl how long outputs of a succeeded job stay (PM_OUTPUT_TTL_SECONDS)
 * @param jobRetention how long a finished job's record stays in the state topic before it is archived
 *                     to the object store (PM_JOB_RETENTION_SECONDS)
 * @param webhook signing keys (each tenant's secret derives from PM_WEBHOOK_SIGNING_KEY) and delivery limits
 * @param webhookAllowPrivate deliver to loopback, private and link-local addresses (PM_WEBHOOK_ALLOW_PRIVATE)
 * @param webhookMaxAttempts attempts per delivery, the first included (PM_WEBHOOK_MAX_ATTEMPTS)
 * @param stateDir the state processor's local store; empty = a fresh temporary directory (PM_STATE_DIR)
 * @param publicUrl base URL clients reach the gateway at, prefixed to output links in webhook payloads;
 *                  empty = links relative to the gateway (PM_PUBLIC_URL)
 * @param webhookBackoff retry delays after the 1st, 2nd, ... failed attempt; the last repeats
 *                       (PM_WEBHOOK_BACKOFF_SECONDS, comma-separated)
 * @param webhookTimeout how long one delivery may take (PM_WEBHOOK_TIMEOUT_SECONDS)
 * @param sseKeepAlive interval of keep-alive comments on event streams (PM_SSE_KEEPALIVE_SECONDS)
 * @param tick how often the state processor looks for due timers (expiry, retention, webhook retries)
 * @param commitInterval how often the state processor commits, which bounds how fast verdicts appear
 * @param store standby replicas and the memory budget of the processor's RocksDB stores (PM_STATE_*)
 */
public record LifecycleConfig(
        Duration inputRetention,
        Duration outputTtl,
        Duration jobRetention,
        WebhookPolicy webhook,
        boolean webhookAllowPrivate,
        int webhookMaxAttempts,
        Optional<Path> stateDir,
        String publicUrl,
        List<Duration> webhookBackoff,
        Duration webhookTimeout,
        Duration sseKeepAlive,
        Duration tick,
        Duration commitInterval,
        StoreSettings store) {

    /** Standard Webhooks retry schedule: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, then every 10 h. */
    public static final List<Duration> DEFAULT_BACKOFF =
            backoff(GatewaySettings.WEBHOOK_BACKOFF_SECONDS.defaultValue().orElseThrow());

    public LifecycleConfig {
        nonNegative("PM_INPUT_RETENTION_SECONDS", inputRetention);
        positive("PM_OUTPUT_TTL_SECONDS", outputTtl);
        positive("PM_JOB_RETENTION_SECONDS", jobRetention);
        positive("PM_WEBHOOK_TIMEOUT_SECONDS", webhookTimeout);
        positive("PM_SSE_KEEPALIVE_SECONDS", sseKeepAlive);
        positive("state processor tick", tick);
        positive("state processor commit interval", commitInterval);
        if (webhook == null) {
            throw new ConfigException("webhooks need a signing policy");
        }
        if (webhookMaxAttempts < 1 || webhookMaxAttempts > 50) {
            throw new ConfigException("PM_WEBHOOK_MAX_ATTEMPTS must be in 1..50, was " + webhookMaxAttempts);
        }
        webhookBackoff = List.copyOf(webhookBackoff);
        if (webhookBackoff.isEmpty()) {
            throw new ConfigException("PM_WEBHOOK_BACKOFF_SECONDS needs at least one delay");
        }
        webhookBackoff.forEach(d -> positive("PM_WEBHOOK_BACKOFF_SECONDS", d));
        publicUrl = publicUrl == null ? "" : stripSlash(publicUrl.trim());
        if (!publicUrl.isEmpty() && !publicUrl.matches("https?://\\S+")) {
            throw new ConfigException("PM_PUBLIC_URL must be an http(s) URL, was " + publicUrl);
        }
        stateDir = stateDir == null ? Optional.empty() : stateDir;
        store = store == null ? StoreSettings.defaults() : store;
    }

    /** Reads every lifecycle setting from {@code s}, with the defaults production uses. */
    public static LifecycleConfig from(Settings s) {
        return new LifecycleConfig(
                s.seconds(GatewaySettings.INPUT_RETENTION_SECONDS),
                s.seconds(GatewaySettings.OUTPUT_TTL_SECONDS),
                s.seconds(GatewaySettings.JOB_RETENTION_SECONDS),
                WebhookPolicy.from(s),
                s.bool(GatewaySettings.WEBHOOK_ALLOW_PRIVATE),
                s.integer(GatewaySettings.WEBHOOK_MAX_ATTEMPTS),
                s.optional(GatewaySettings.STATE_DIR).map(Path::of),
                s.string(GatewaySettings.PUBLIC_URL),
                s.optional(GatewaySettings.WEBHOOK_BACKOFF_SECONDS).map(LifecycleConfig::backoff).orElse(DEFAULT_BACKOFF),
                s.seconds(GatewaySettings.WEBHOOK_TIMEOUT_SECONDS),
                s.seconds(GatewaySettings.SSE_KEEPALIVE_SECONDS),
                Duration.ofSeconds(1),
                Duration.ofMillis(100),
                StoreSettings.from(s));
    }

    /** The defaults, without reading the environment. */
    public static LifecycleConfig defaults() {
        return from(Settings.of(java.util.Map.of()));
    }

    public LifecycleConfig withRetention(Duration inputs, Duration outputs, Duration jobs) {
        return new LifecycleConfig(inputs, outputs, jobs, webhook, webhookAllowPrivate, webhookMaxAttempts,
                stateDir, publicUrl, webhookBackoff, webhookTimeout, sseKeepAlive, tick, commitInterval, store);
    }

    public LifecycleConfig withWebhooks(WebhookPolicy policy, boolean allowPrivate, int maxAttempts,
                                        List<Duration> backoff, Duration timeout) {
        return new LifecycleConfig(inputRetention, outputTtl, jobRetention, policy, allowPrivate, maxAttempts,
                stateDir, publicUrl, backoff, timeout, sseKeepAlive, tick, commitInterval, store);
    }

    public LifecycleConfig withStateDir(Path dir) {
        return new LifecycleConfig(inputRetention, outputTtl, jobRetention, webhook, webhookAllowPrivate,
                webhookMaxAttempts, Optional.of(dir), publicUrl, webhookBackoff, webhookTimeout, sseKeepAlive, tick,
                commitInterval, store);
    }

    public LifecycleConfig withTimers(Duration newTick, Duration newSseKeepAlive) {
        return new LifecycleConfig(inputRetention, outputTtl, jobRetention, webhook, webhookAllowPrivate,
                webhookMaxAttempts, stateDir, publicUrl, webhookBackoff, webhookTimeout, newSseKeepAlive, newTick,
                commitInterval, store);
    }

    public LifecycleConfig withPublicUrl(String url) {
        return new LifecycleConfig(inputRetention, outputTtl, jobRetention, webhook, webhookAllowPrivate,
                webhookMaxAttempts, stateDir, url, webhookBackoff, webhookTimeout, sseKeepAlive, tick,
                commitInterval, store);
    }

    public LifecycleConfig withStore(StoreSettings newStore) {
        return new LifecycleConfig(inputRetention, outputTtl, jobRetention, webhook, webhookAllowPrivate,
                webhookMaxAttempts, stateDir, publicUrl, webhookBackoff, webhookTimeout, sseKeepAlive, tick,
                commitInterval, newStore);
    }

    private static List<String> list(String csv) {
        List<String> out = new ArrayList<>();
        for (String part : csv.split(",")) {
            if (!part.isBlank()) {
                out.add(part.trim());
            }
        }
        return out;
    }

    private static List<Duration> backoff(String csv) {
        List<Duration> out = new ArrayList<>();
        for (String part : list(csv)) {
            try {
                out.add(Duration.ofSeconds(Long.parseLong(part)));
            } catch (NumberFormatException e) {
                throw new ConfigException("PM_WEBHOOK_BACKOFF_SECONDS must list whole seconds, found " + part);
            }
        }
        return out;
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static void nonNegative(String name, Duration d) {
        if (d == null || d.isNegative()) {
            throw new ConfigException(name + " must not be negative");
        }
    }

    private static void positive(String name, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new ConfigException(name + " must be positive");
        }
    }
}
