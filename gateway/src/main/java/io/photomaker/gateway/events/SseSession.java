package io.photomaker.gateway.events;

import io.photomaker.common.state.JobRecord;
import io.photomaker.common.state.JobStateView;
import io.photomaker.gateway.limits.StreamSlots;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * One open event stream for one job. Everything runs on the request's event-loop context: view
 * listener calls hop onto it, so writes never race and never block the view's thread.
 */
final class SseSession {
    private final RoutingContext ctx;
    private final HttpServerResponse resp;
    private final Context context;
    private final JobStateView view;
    private final String jobId;
    private final Duration keepAlive;
    private final Consumer<JobRecord> listener;
    private final StreamSlots.Slot slot;
    private long lastSent;
    private StatusEvent previous;
    private long timer = -1;
    private boolean closed;

    /** @param slot this stream's place among the process's and tenant's open streams, freed when it ends */
    SseSession(RoutingContext ctx, JobStateView view, String jobId, long lastSeen, Duration keepAlive,
               StreamSlots.Slot slot) {
        this.slot = slot;
        this.ctx = ctx;
        this.resp = ctx.response();
        this.context = ctx.vertx().getOrCreateContext();
        this.view = view;
        this.jobId = jobId;
        this.lastSent = lastSeen;
        this.keepAlive = keepAlive;
        this.listener = rec -> {
            if (jobId.equals(rec.id())) {
                context.runOnContext(v -> offer(rec));
            }
        };
    }

    void open(JobRecord current) {
        resp.setStatusCode(200).setChunked(true)
                .putHeader("content-type", "text/event-stream; charset=utf-8")
                .putHeader("cache-control", "no-cache")
                .putHeader("x-accel-buffering", "no");
        resp.closeHandler(v -> stop());
        if (current.version() <= lastSent && current.status().isTerminal()) {
            // The client has seen the end already.
            resp.end();
            closed = true;
            slot.close();
            return;
        }
        resp.write("retry: 3000\n\n");
        view.addListener(listener);
        timer = ctx.vertx().setPeriodic(keepAlive.toMillis(), t -> {
            if (!closed) {
                resp.write(": keep-alive\n\n");
            }
        });
        JobRecord latest = view.get(jobId).filter(r -> r.version() > current.version()).orElse(current);
        offer(latest);
    }

    private void offer(JobRecord rec) {
        if (closed || rec.version() <= lastSent) {
            return;
        }
        lastSent = rec.version();
        StatusEvent event = StatusEvents.of(rec, "");
        // A new version that reads the same to the client (e.g. a cancel request noted) is not repeated.
        if (previous != null && previous.name().equals(event.name()) && previous.data().equals(event.data())) {
            return;
        }
        previous = event;
        resp.write(event.toSse());
        if (event.isTerminal()) {
            stop();
            resp.end();
        }
    }

    private void stop() {
        if (closed) {
            return;
        }
        closed = true;
        slot.close();
        view.removeListener(listener);
        if (timer >= 0) {
            ctx.vertx().cancelTimer(timer);
        }
    }
}
