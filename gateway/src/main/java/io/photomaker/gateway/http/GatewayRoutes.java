package io.photomaker.gateway.http;

import io.photomaker.gateway.GatewayServices;
import io.photomaker.gateway.jobs.ArchivedJobs;
import io.photomaker.gateway.state.LifecycleConfig;
import io.vertx.core.Deployable;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Mount points for the parts of the gateway that live outside the core API: handlers for OpenAPI
 * operations (SSE events, webhook log and replay, identities), the archive GETs fall back to, how the
 * state processor runs (lifecycle settings, retention) and background verticles (webhook delivery). An operation in the document
 * that nothing is mounted for answers 501 {@code not_implemented}.
 *
 * <pre>{@code
 * GatewayRoutes routes = new GatewayRoutes()
 *     .mount(GatewayRoutes.STREAM_JOB_EVENTS, s -> new JobEventsHandler(s))
 *     .archive(s -> new ArchiveReader(s.store()))
 *     .state(LifecycleConfig.defaults(), true)
 *     .verticle(s -> new WebhookVerticle(s));
 * Gateway.start(vertx, config, kafka, s3, routes);
 * }</pre>
 */
public final class GatewayRoutes {
    /** GET /v1/jobs/{id}/events: server-sent events, resumable with Last-Event-ID. */
    public static final String STREAM_JOB_EVENTS = "streamJobEvents";
    /** GET /v1/jobs/{id}/webhooks: the job's webhook delivery log. */
    public static final String LIST_JOB_WEBHOOKS = "listJobWebhooks";
    /** POST /v1/jobs/{id}/webhooks/{delivery_id}/replay: deliver one webhook again. */
    public static final String REPLAY_JOB_WEBHOOK = "replayJobWebhook";
    /** GET /v1/webhooks/default/secret: the calling tenant's webhook signing secret. */
    public static final String GET_WEBHOOK_SECRET = "getWebhookSecret";
    /** POST /v1/identities: store an identity from ID photos. */
    public static final String CREATE_IDENTITY = "createIdentity";
    /** GET /v1/identities/{id}: an identity's status and embedding count. */
    public static final String GET_IDENTITY = "getIdentity";
    /** DELETE /v1/identities/{id}: delete an identity and its photos. */
    public static final String DELETE_IDENTITY = "deleteIdentity";

    private final Map<String, Function<GatewayServices, Handler<RoutingContext>>> handlers = new LinkedHashMap<>();
    private final List<Function<GatewayServices, Deployable>> verticles = new ArrayList<>();
    private Function<GatewayServices, ArchivedJobs> archive = s -> ArchivedJobs.NONE;
    private LifecycleConfig lifecycle = LifecycleConfig.defaults();
    private boolean retention;

    /** Serves {@code operationId} (from openapi.json) with the handler {@code factory} builds once per HTTP verticle. */
    public GatewayRoutes mount(String operationId, Function<GatewayServices, Handler<RoutingContext>> factory) {
        if (handlers.putIfAbsent(operationId, factory) != null) {
            throw new IllegalStateException("operation " + operationId + " is already mounted");
        }
        return this;
    }

    /** Where GETs find jobs that left the state view. */
    public GatewayRoutes archive(Function<GatewayServices, ArchivedJobs> factory) {
        this.archive = factory;
        return this;
    }

    /**
     * How the gateway's state processor runs: its lifecycle settings, and whether it enforces retention (deletes
     * photos, outputs and archived records in the object store). Without this call it runs with the defaults
     * and no retention.
     */
    public GatewayRoutes state(LifecycleConfig config, boolean withRetention) {
        this.lifecycle = config;
        this.retention = withRetention;
        return this;
    }

    public LifecycleConfig lifecycle() {
        return lifecycle;
    }

    public boolean retention() {
        return retention;
    }

    /** A background concern deployed before the HTTP server starts and undeployed when the gateway closes. */
    public GatewayRoutes verticle(Function<GatewayServices, Deployable> factory) {
        verticles.add(factory);
        return this;
    }

    public Map<String, Function<GatewayServices, Handler<RoutingContext>>> handlers() {
        return Map.copyOf(handlers);
    }

    public List<Function<GatewayServices, Deployable>> verticles() {
        return List.copyOf(verticles);
    }

    public Function<GatewayServices, ArchivedJobs> archive() {
        return archive;
    }
}
