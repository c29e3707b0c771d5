package io.photomaker.gateway.limits;

import io.photomaker.common.config.ConfigException;
import io.photomaker.common.config.Settings;
import io.photomaker.common.image.DecodeBudget;
import io.photomaker.gateway.settings.GatewaySettings;
import java.time.Duration;

/**
 * The gateway's protective limits: how much memory request bodies and image decodes may hold at once, how long a
 * body may take, how many HTTP/2 streams and header bytes a connection may use, and caps on the other paths a
 * client can make expensive (event streams, identities, webhook replays). Read from PM_* settings and checked here;
 * the memory budgets default to a quarter of the heap each.
 *
 * @param bodyBudgetBytes request body bytes all requests may hold at once (PM_BODY_BUDGET_BYTES)
 * @param bodyTimeout time one request body may take from its first to its last byte (PM_BODY_TIMEOUT_SECONDS)
 * @param decodeBudgetBytes memory all image decodes may hold at once (PM_DECODE_BUDGET_BYTES)
 * @param decodeWait how long a decode waits for room in the decode budget before answering 429
 * @param http2MaxStreams concurrent streams per HTTP/2 connection (PM_HTTP2_MAX_STREAMS)
 * @param maxHeaderBytes request line plus headers of one request, HTTP/1 and HTTP/2 (PM_MAX_HEADER_BYTES)
 * @param idleTimeout a connection with no traffic either way for this long is closed
 * @param streamsPerProcess open event streams of this gateway (PM_SSE_MAX_CONNECTIONS)
 * @param streamsPerTenant open event streams of one tenant on this gateway (PM_SSE_MAX_PER_TENANT)
 * @param identitiesPerTenant stored identities of one tenant (PM_MAX_IDENTITIES)
 * @param replaysPerMinute webhook replays per tenant per minute, also the burst (PM_WEBHOOK_REPLAYS_PER_MINUTE)
 */
public record LimitsConfig(
        long bodyBudgetBytes,
        Duration bodyTimeout,
        long decodeBudgetBytes,
        Duration decodeWait,
        int http2MaxStreams,
        int maxHeaderBytes,
        Duration idleTimeout,
        int streamsPerProcess,
        int streamsPerTenant,
        int identitiesPerTenant,
        int replaysPerMinute) {

    public LimitsConfig {
        if (bodyBudgetBytes < 1 << 20) {
            throw new ConfigException("PM_BODY_BUDGET_BYTES must be at least 1 MiB, was " + bodyBudgetBytes);
        }
        if (decodeBudgetBytes < 16 << 20) {
            throw new ConfigException("PM_DECODE_BUDGET_BYTES must be at least 16 MiB, was " + decodeBudgetBytes);
        }
        positive("PM_BODY_TIMEOUT_SECONDS", bodyTimeout.toMillis());
        positive("decode wait", decodeWait.toMillis());
        positive("idle timeout", idleTimeout.toMillis());
        positive("PM_HTTP2_MAX_STREAMS", http2MaxStreams);
        positive("PM_SSE_MAX_CONNECTIONS", streamsPerProcess);
        positive("PM_SSE_MAX_PER_TENANT", streamsPerTenant);
        positive("PM_MAX_IDENTITIES", identitiesPerTenant);
        positive("PM_WEBHOOK_REPLAYS_PER_MINUTE", replaysPerMinute);
        if (maxHeaderBytes < 1024) {
            throw new ConfigException("PM_MAX_HEADER_BYTES must be at least 1024, was " + maxHeaderBytes);
        }
    }

    /** Reads the limits; budgets that are not set get a quarter of this JVM's largest heap each. */
    public static LimitsConfig from(Settings s) {
        long quarterHeap = Math.max(16L << 20, Runtime.getRuntime().maxMemory() / 4);
        return new LimitsConfig(
                s.longValue(GatewaySettings.BODY_BUDGET_BYTES, quarterHeap),
                s.seconds(GatewaySettings.BODY_TIMEOUT_SECONDS),
                s.longValue(GatewaySettings.DECODE_BUDGET_BYTES, DecodeBudget.defaultBytes()),
                Duration.ofSeconds(10),
                s.integer(GatewaySettings.HTTP2_MAX_STREAMS),
                s.integer(GatewaySettings.MAX_HEADER_BYTES),
                Duration.ofSeconds(75),
                s.integer(GatewaySettings.SSE_MAX_CONNECTIONS),
                s.integer(GatewaySettings.SSE_MAX_PER_TENANT),
                s.integer(GatewaySettings.MAX_IDENTITIES),
                s.integer(GatewaySettings.WEBHOOK_REPLAYS_PER_MINUTE));
    }

    private static void positive(String name, long v) {
        if (v <= 0) {
            throw new ConfigException(name + " must be positive, was " + v);
        }
    }
}
