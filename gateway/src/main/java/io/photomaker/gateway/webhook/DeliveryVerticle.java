package io.photomaker.gateway.webhook;

import io.micrometer.core.instrument.MeterRegistry;
import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.storage.ObjectStore;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Promise;

/**
 * Runs the webhook dispatcher as a background concern of the gateway: started before the HTTP API, closed when
 * the gateway stops. The dispatcher's Kafka work happens off the event loop.
 */
public final class DeliveryVerticle extends AbstractVerticle {
    private final KafkaSettings kafka;
    private final ObjectStore store;
    private final DeliverySettings settings;
    private final MeterRegistry registry;
    private volatile WebhookDispatcher dispatcher;

    public DeliveryVerticle(KafkaSettings kafka, ObjectStore store, DeliverySettings settings, MeterRegistry registry) {
        this.kafka = kafka;
        this.store = store;
        this.settings = settings;
        this.registry = registry;
    }

    @Override
    public void start(Promise<Void> started) {
        vertx.executeBlocking(() -> {
            dispatcher = WebhookDispatcher.start(vertx, kafka, store, settings,
                    new AddressGuard(settings.allowPrivate()), registry);
            return null;
        }, false).onComplete(r -> {
            if (r.failed()) {
                closeQuietly();
                started.fail(r.cause());
            } else {
                started.complete();
            }
        });
    }

    @Override
    public void stop(Promise<Void> stopped) {
        vertx.executeBlocking(() -> {
            closeQuietly();
            return null;
        }, false).onComplete(r -> stopped.complete());
    }

    private void closeQuietly() {
        if (dispatcher != null) {
            dispatcher.close();
        }
    }
}
