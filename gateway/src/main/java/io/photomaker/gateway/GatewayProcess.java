package io.photomaker.gateway;

import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.config.S3Settings;
import io.photomaker.common.config.Settings;
import io.photomaker.common.kafka.KafkaClients;
import io.photomaker.gateway.http.GatewayRoutes;
import io.photomaker.gateway.identity.Identities;
import io.photomaker.gateway.state.LifecycleConfig;
import io.photomaker.gateway.state.LifecycleServices;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole gateway process: the HTTP API, the job lifecycle (state processor, retention, webhooks,
 * event stream) and identities, configured from PM_* settings.
 */
public final class GatewayProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayProcess.class);
    private final Gateway gateway;

    private GatewayProcess(Gateway gateway) {
        this.gateway = gateway;
    }

    /** Starts everything and returns once the HTTP server listens. */
    public static GatewayProcess start(Settings settings) throws Exception {
        GatewayConfig config = GatewayConfig.from(settings);
        KafkaSettings kafka = KafkaSettings.from(settings);
        S3Settings s3 = S3Settings.from(settings);
        LifecycleConfig lifecycle = LifecycleConfig.from(settings);
        try {
            KafkaClients.ensureTopics(kafka);
        } catch (IllegalStateException e) {
            // Production clusters provision topics themselves (and may forbid creating them).
            LOG.warn("could not ensure topics: {}", e.getMessage());
        }
        GatewayRoutes routes = Identities.install(LifecycleServices.install(new GatewayRoutes(), kafka, lifecycle));
        Gateway g = Gateway.start(config, kafka, s3, routes).toCompletionStage().toCompletableFuture()
                .get(120, TimeUnit.SECONDS);
        return new GatewayProcess(g);
    }

    public int port() {
        return gateway.port();
    }

    public Gateway gateway() {
        return gateway;
    }

    @Override
    public void close() {
        gateway.close();
    }
}
