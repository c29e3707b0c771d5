package io.photomaker.gateway.events;

import io.photomaker.common.state.JobRecord;
import io.photomaker.gateway.jobs.VerdictFeed;
import io.photomaker.gateway.limits.StreamSlots;
import io.vertx.core.Context;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * One open event stream for one job. It follows the job's new verdicts from construction on; verdicts that
 * arrive before {@link #open} (while the current record is being read from the job's owner) are held back,
 * newest only, and sent then if they are newer. Everything runs on the request's event-loop context: feed
 * calls hop onto it, so writes never race and never block the feed's thread. The session holds one of the
 * process's and tenant's event-stream slots until it stops.
 */
final class SseSession {
    private final RoutingContext ctx;
    private final HttpServerResponse resp;
    private final Context context;
    private final Duration keepAlive;
    private final VerdictFeed.Follow follow;
    private final StreamSlots.Slot slot;
    private long lastSent;
    private JobRecord early;
    private StatusEvent previous;
    private long timer = -1;
    private boolean opened;
    private boolean closed;

    /** @param slot this stream's place among the process's and tenant's open streams, freed when it stops */
    SseSession(RoutingContext ctx, VerdictFeed feed, String jobId, long lastSeen, Duration keepAlive,
               StreamSlots.Slot slot) {
        this.slot = slot;
        this.ctx = ctx;
        this.resp = ctx.response();
        this.context = ctx.vertx().getOrCreateContext();
        this.lastSent = lastSeen;
        this.keepAlive = keepAlive;
        this.follow = feed.follow(jobId, rec -> context.runOnContext(v -> arrived(rec)));
    }

    void open(JobRecord current) {
        opened = true;
        if (resp.closed()) {
            // The client left while the record was being read: no close handler would ever run.
            stop();
            return;
        }
        resp.setStatusCode(200).setChunked(true)
                .putHeader("content-type", "text/event-stream; charset=utf-8")
                .putHeader("cache-control", "no-cache")
                .putHeader("x-accel-buffering", "no");
        resp.closeHandler(v -> stop());
        JobRecord latest = early != null && early.version() > current.version() ? early : current;
        early = null;
        if (latest.version() <= lastSent && latest.status().isTerminal()) {
            // The client has seen the end already.
            stop();
            resp.end();
            return;
        }
        resp.write("retry: 3000\n\n");
        timer = ctx.vertx().setPeriodic(keepAlive.toMillis(), t -> {
            if (!closed) {
                resp.write(": keep-alive\n\n");
            }
        });
        offer(latest);
    }

    /** The job could not be read: stop following it. */
    void abandon() {
        stop();
    }

    private void arrived(JobRecord rec) {
        if (!opened) {
            early = early == null || rec.version() > early.version() ? rec : early;
        } else {
            offer(rec);
        }
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
        follow.close();
        if (timer >= 0) {
            ctx.vertx().cancelTimer(timer);
        }
    }
}
