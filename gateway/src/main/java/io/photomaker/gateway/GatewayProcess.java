package io.photomaker.gateway;

import io.photomaker.common.config.ConfigException;
import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.config.S3Settings;
import io.photomaker.common.config.Settings;
import io.photomaker.common.kafka.KafkaClients;
import io.photomaker.common.trace.Tracing;
import io.photomaker.gateway.http.GatewayRoutes;
import io.photomaker.gateway.identity.Identities;
import io.photomaker.gateway.state.LifecycleConfig;
import io.photomaker.gateway.state.LifecycleServices;
import io.photomaker.gateway.webhook.WebhookKeys;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole gateway process: the HTTP API, the job lifecycle (state processor, retention, webhooks,
 * event stream) and identities, configured from PM_* settings.
 */
public final class GatewayProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayProcess.class);
    /** The service name of gateway spans unless PM_SERVICE_NAME says otherwise. */
    public static final String SERVICE_NAME = "photomaker-gateway";

    private final Gateway gateway;
    private final Tracing ownTracing;

    private GatewayProcess(Gateway gateway, Tracing ownTracing) {
        this.gateway = gateway;
        this.ownTracing = ownTracing;
    }

    /** Starts everything and returns once the HTTP server listens; traces as PM_OTLP_ENDPOINT says. */
    public static GatewayProcess start(Settings settings) throws Exception {
        Tracing tracing = Tracing.fromSettings(settings, SERVICE_NAME);
        try {
            return start(settings, tracing, tracing);
        } catch (Exception | Error e) {
            tracing.close();
            throw e;
        }
    }

    /** As above, recording spans with {@code tracing}, which stays the caller's to close. */
    public static GatewayProcess start(Settings settings, Tracing tracing) throws Exception {
        return start(settings, tracing, null);
    }

    private static GatewayProcess start(Settings settings, Tracing tracing, Tracing owned) throws Exception {
        GatewayConfig config = GatewayConfig.from(settings);
        KafkaSettings kafka = KafkaSettings.from(settings);
        S3Settings s3 = S3Settings.from(settings);
        LifecycleConfig lifecycle = LifecycleConfig.from(settings);
        if (!config.devMode() && lifecycle.webhook().keys().ephemeral()) {
            throw new ConfigException("PM_WEBHOOK_SIGNING_KEY is required unless PM_DEV_MODE=true: every tenant's"
                    + " webhook secret is derived from it (at least " + WebhookKeys.MIN_KEY_LENGTH + " characters,"
                    + " e.g. `openssl rand -base64 32`, provided as a Secret)");
        }
        try {
            KafkaClients.ensureTopics(kafka);
        } catch (IllegalStateException e) {
            // Production clusters provision topics themselves (and may forbid creating them).
            LOG.warn("could not ensure topics: {}", e.getMessage());
        }
        GatewayRoutes routes = Identities.install(LifecycleServices.install(new GatewayRoutes(), kafka, lifecycle));
        Gateway g = Gateway.start(config, kafka, s3, routes, tracing).toCompletionStage().toCompletableFuture()
                .get(120, TimeUnit.SECONDS);
        return new GatewayProcess(g, owned);
    }

    public int port() {
        return gateway.port();
    }

    /** The management port (/healthz, /readyz, /metrics). */
    public int managementPort() {
        return gateway.managementPort();
    }

    public Gateway gateway() {
        return gateway;
    }

    @Override
    public void close() {
        gateway.close();
        if (ownTracing != null) {
            ownTracing.close();
        }
    }
}
