package io.photomaker.gateway.events;

import io.photomaker.common.errors.ErrorType;
import io.photomaker.gateway.http.ApiError;
import io.photomaker.gateway.jobs.JobLookup;
import io.photomaker.gateway.jobs.VerdictFeed;
import io.photomaker.gateway.limits.StreamSlots;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.concurrent.CompletionException;

/**
 * {@code GET /v1/jobs/{id}/events}: the job's lifecycle as a server-sent event stream (queued, started,
 * progress, succeeded, failed, canceled, expired), each event's id being the job record version. On
 * connect it sends the current state; with {@code Last-Event-ID} it sends nothing at or below that
 * version. A comment line keeps idle connections open; the stream ends after a terminal event. Fed by
 * the {@link VerdictFeed} (new verdicts of this job only), never blocking the event loop. Open streams are
 * capped per tenant and per process ({@link StreamSlots}); past the cap the answer is 429 with Retry-After.
 */
public final class JobEventsHandler implements Handler<RoutingContext> {
    public static final String ROUTE = "/v1/jobs/:id/events";

    private final JobLookup lookup;
    private final VerdictFeed feed;
    private final Duration keepAlive;
    private final StreamSlots slots;

    /** @param slots the process's cap on open streams, in total and per tenant */
    public JobEventsHandler(JobLookup lookup, VerdictFeed feed, Duration keepAlive, StreamSlots slots) {
        this.lookup = lookup;
        this.feed = feed;
        this.keepAlive = keepAlive;
        this.slots = slots;
    }

    /** Mounts the handler at {@value #ROUTE}; the tenant must already be in the routing context. */
    public void mount(Router router) {
        router.get(ROUTE).handler(this);
    }

    @Override
    public void handle(RoutingContext ctx) {
        String tenant = ctx.get("tenant");
        String jobId = ctx.pathParam("id");
        long lastSeen = lastEventId(ctx.request().getHeader("Last-Event-ID"));
        StreamSlots.Attempt attempt = slots.tryOpen(tenant);
        if (attempt.slot() == null) {
            throw ApiError.retryAfter(ErrorType.TOO_MANY_STREAMS, attempt.refusal() == StreamSlots.Refusal.TENANT_FULL
                    ? "tenant " + tenant + " already has " + slots.perTenant() + " event streams open; close one"
                    : "this gateway serves as many event streams as it can; try again shortly", 5);
        }
        // The session follows new verdicts before the current one is read, so none falls between the two.
        SseSession session = new SseSession(ctx, feed, jobId, lastSeen, keepAlive, attempt.slot());
        lookup.find(tenant, jobId)
                .onSuccess(session::open)
                .onFailure(e -> {
                    session.abandon();
                    ctx.fail(unwrap(e));
                });
    }

    static long lastEventId(String header) {
        if (header == null || header.isBlank()) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            throw new ApiError(ErrorType.INVALID_LAST_EVENT_ID, "Last-Event-ID must be an event id from this stream",
                    "Last-Event-ID");
        }
    }

    static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}
