package io.photomaker.gateway.state;

import io.photomaker.common.config.KafkaSettings;
import io.photomaker.gateway.GatewayServices;
import io.photomaker.gateway.events.JobEventsHandler;
import io.photomaker.gateway.http.GatewayRoutes;
import io.photomaker.gateway.jobs.ArchivedJobs;
import io.photomaker.gateway.retention.ArchiveReader;
import io.photomaker.gateway.webhook.AddressGuard;
import io.photomaker.gateway.webhook.DeliveryLog;
import io.photomaker.gateway.webhook.WebhookDispatcher;
import io.photomaker.gateway.webhook.WebhookLogHandler;
import io.photomaker.gateway.webhook.WebhookReplayHandler;
import io.photomaker.gateway.webhook.WebhookSecretHandler;
import io.vertx.core.AbstractVerticle;
import io.vertx.core.Future;
import io.vertx.core.Promise;

/**
 * The job lifecycle's server side, installed into a gateway: the gateway's state processor runs with these
 * lifecycle settings and with retention on; the webhook dispatcher runs as a background verticle; the event
 * stream, webhook log and replay are mounted as API operations; GETs fall back to the archive.
 */
public final class LifecycleServices extends AbstractVerticle {
    private final KafkaSettings kafka;
    private final LifecycleConfig cfg;
    private final GatewayServices services;
    private volatile WebhookDispatcher dispatcher;

    private LifecycleServices(KafkaSettings kafka, LifecycleConfig cfg, GatewayServices services) {
        this.kafka = kafka;
        this.cfg = cfg;
        this.services = services;
    }

    /** Adds the lifecycle's operations, archive and background work to {@code routes}. */
    public static GatewayRoutes install(GatewayRoutes routes, KafkaSettings kafka, LifecycleConfig cfg) {
        return routes
                .state(cfg, true)
                .mount(GatewayRoutes.STREAM_JOB_EVENTS, s -> new JobEventsHandler(s.lookup(), s.feed(), cfg.sseKeepAlive(),
                        s.limits().streams()))
                .mount(GatewayRoutes.LIST_JOB_WEBHOOKS, s -> new WebhookLogHandler(s.lookup(), new DeliveryLog(s.store())))
                .mount(GatewayRoutes.REPLAY_JOB_WEBHOOK,
                        s -> new WebhookReplayHandler(s.lookup(), new DeliveryLog(s.store()), s.producer(),
                                s.limits().replays()))
                .mount(GatewayRoutes.GET_WEBHOOK_SECRET, s -> new WebhookSecretHandler(cfg.webhook().keys()))
                .archive(LifecycleServices::archive)
                .verticle(s -> new LifecycleServices(kafka, cfg, s));
    }

    private static ArchivedJobs archive(GatewayServices s) {
        ArchiveReader reader = new ArchiveReader(s.store());
        return jobId -> Future.fromCompletionStage(reader.find(jobId), s.vertx().getOrCreateContext());
    }

    @Override
    public void start(Promise<Void> started) {
        vertx.executeBlocking(() -> {
            dispatcher = WebhookDispatcher.start(vertx, kafka, services.store(), cfg,
                    new AddressGuard(cfg.webhookAllowPrivate()), services.metrics().registry());
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
