package io.photomaker.gateway.submit;

import io.photomaker.common.state.JobRecord;
import io.photomaker.gateway.http.Responses;
import io.photomaker.gateway.jobs.JobJson;
import io.photomaker.gateway.jobs.JobLookup;
import io.photomaker.gateway.jobs.JobWatcher;
import io.photomaker.gateway.jobs.JobsHandler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Map;

/**
 * The answer to an accepted submission: 202 with the job's id at once, or, with {@code Prefer: wait=N}, 200 with
 * the finished job when it ends within N seconds; a replayed Idempotency-Key answers with the job as it is now.
 */
public final class SubmissionAnswer {
    /** The job a submission resolved to; {@code replayed} when an Idempotency-Key named an earlier one. */
    record Outcome(String jobId, long createdAt, boolean replayed) {
    }

    private final Duration maxWait;
    private final JobLookup lookup;
    private final JobWatcher watcher;
    private final JobsHandler jobs;

    /** @param jobs renders a finished job as GET /v1/jobs/{id} does */
    public SubmissionAnswer(Duration maxWait, JobLookup lookup, JobWatcher watcher, JobsHandler jobs) {
        this.maxWait = maxWait;
        this.lookup = lookup;
        this.watcher = watcher;
        this.jobs = jobs;
    }

    void answer(RoutingContext ctx, Outcome out) {
        Duration wait = PreferWait.parse(ctx.request().headers().getAll("Prefer"), maxWait);
        ctx.response().putHeader(HttpHeaders.LOCATION, "/v1/jobs/" + out.jobId());
        if (out.replayed()) {
            ctx.response().putHeader("Idempotent-Replayed", "true");
        }
        if (wait.isZero() && !out.replayed()) {
            respond(ctx, out, null);
            return;
        }
        if (wait.isZero()) {
            // A replay answers with the job as it is now, which may have finished.
            lookup.find(ctx.get("tenant"), out.jobId())
                    .onComplete(ar -> respond(ctx, out, ar.succeeded() ? ar.result() : null));
            return;
        }
        ctx.response().putHeader("Preference-Applied", "wait=" + wait.toSeconds());
        watcher.terminal(out.jobId(), wait).onComplete(ar -> respond(ctx, out, ar.succeeded() ? ar.result() : null));
    }

    private void respond(RoutingContext ctx, Outcome out, JobRecord r) {
        if (r != null && r.status().isTerminal()) {
            Responses.json(ctx, 200, jobs.render(r));
            return;
        }
        Map<String, Object> body = JobJson.accepted(out.jobId(), out.createdAt());
        if (r != null) {
            body.put("status", r.status().wireName());
        }
        Responses.json(ctx, 202, body);
    }
}
