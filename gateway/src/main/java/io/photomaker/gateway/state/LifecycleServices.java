package io.photomaker.gateway.state;

import io.micrometer.core.instrument.MeterRegistry;
import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.kafka.JobProducer;
import io.photomaker.common.state.JobStateView;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.gateway.events.JobEventsHandler;
import io.photomaker.gateway.retention.ArchiveReader;
import io.photomaker.gateway.webhook.AddressGuard;
import io.photomaker.gateway.webhook.DeliveryLog;
import io.photomaker.gateway.webhook.WebhookDispatcher;
import io.photomaker.gateway.webhook.WebhookLogHandler;
import io.photomaker.gateway.webhook.WebhookReplayHandler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import java.time.Duration;

/**
 * The job lifecycle's server side in one piece, for the gateway to start once per process: the state
 * processor (verdicts, expiry, retention, webhook planning and retry delays), the webhook dispatcher,
 * and the lifecycle endpoints (event stream, webhook log, webhook replay).
 */
public final class LifecycleServices implements AutoCloseable {
    /** How long a request about a just-submitted job waits for its first verdict. */
    private static final Duration WAIT_FOR_NEW = Duration.ofSeconds(10);

    private final JobStateProcessor processor;
    private final WebhookDispatcher dispatcher;
    private final JobLookup lookup;
    private final ArchiveReader archive;
    private final JobEventsHandler events;
    private final WebhookLogHandler webhookLog;
    private final WebhookReplayHandler webhookReplay;

    private LifecycleServices(JobStateProcessor processor, WebhookDispatcher dispatcher, JobLookup lookup,
                              ArchiveReader archive, JobEventsHandler events, WebhookLogHandler webhookLog,
                              WebhookReplayHandler webhookReplay) {
        this.processor = processor;
        this.dispatcher = dispatcher;
        this.lookup = lookup;
        this.archive = archive;
        this.events = events;
        this.webhookLog = webhookLog;
        this.webhookReplay = webhookReplay;
    }

    /**
     * Starts the processor and the dispatcher. {@code view} and {@code producer} are the gateway's own
     * (started) job-state view and durable producer; they stay owned by the caller.
     */
    public static LifecycleServices start(Vertx vertx, KafkaSettings kafka, ObjectStore store, JobStateView view,
                                          JobProducer producer, LifecycleConfig cfg, MeterRegistry registry) {
        JobStateProcessor processor = JobStateProcessor.start(kafka, cfg, store, registry);
        WebhookDispatcher dispatcher;
        try {
            dispatcher = WebhookDispatcher.start(vertx, kafka, store, cfg,
                    new AddressGuard(cfg.webhookAllowPrivate()), registry);
        } catch (RuntimeException e) {
            processor.close();
            throw e;
        }
        ArchiveReader archive = new ArchiveReader(store);
        JobLookup lookup = new JobLookup(view, archive, WAIT_FOR_NEW);
        DeliveryLog log = new DeliveryLog(store);
        return new LifecycleServices(processor, dispatcher, lookup, archive,
                new JobEventsHandler(lookup, view, cfg.sseKeepAlive()), new WebhookLogHandler(lookup, log),
                new WebhookReplayHandler(lookup, log, producer));
    }

    /**
     * Mounts {@code GET /v1/jobs/:id/events}, {@code GET /v1/jobs/:id/webhooks} and
     * {@code POST /v1/jobs/:id/webhooks/:deliveryId/replay}; call after the auth handler that puts the
     * tenant into the routing context.
     */
    public void mount(Router router) {
        events.mount(router);
        webhookLog.mount(router);
        webhookReplay.mount(router);
    }

    public JobStateProcessor processor() {
        return processor;
    }

    /** Tenant-checked job lookup over the view, new jobs and the archive (GET can use it too). */
    public JobLookup lookup() {
        return lookup;
    }

    public ArchiveReader archive() {
        return archive;
    }

    /** Whether the state processor is running (for readiness). */
    public boolean isHealthy() {
        return processor.isHealthy();
    }

    @Override
    public void close() {
        dispatcher.close();
        processor.close();
    }
}
