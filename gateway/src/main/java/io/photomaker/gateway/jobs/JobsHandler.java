package io.photomaker.gateway.jobs;

import io.photomaker.common.errors.ErrorType;
import io.photomaker.common.event.JobEvent;
import io.photomaker.common.job.JobOutput;
import io.photomaker.common.job.JobIds;
import io.photomaker.common.job.JobStatus;
import io.photomaker.common.state.JobRecord;
import io.photomaker.common.storage.ObjectKeys;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.gateway.cluster.JobLister;
import io.photomaker.gateway.http.ApiError;
import io.photomaker.gateway.http.Responses;
import io.photomaker.gateway.kafka.EventSender;
import io.photomaker.gateway.kafka.QueuePositions;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The read and control endpoints for existing jobs: GET one, list, cancel, delete data, fetch an output.
 * Every handler resolves the job through {@link JobLookup}, so another tenant's job is a 404.
 */
public final class JobsHandler {
    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 100;

    private final Vertx vertx;
    private final JobLookup lookup;
    private final JobLister lister;
    private final QueuePositions positions;
    private final JobJson json;
    private final EventSender events;
    private final ObjectStore store;
    private final Duration presignTtl;

    public JobsHandler(Vertx vertx, JobLookup lookup, JobLister lister, QueuePositions positions, JobJson json,
                       EventSender events, ObjectStore store, Duration presignTtl) {
        this.vertx = vertx;
        this.lookup = lookup;
        this.lister = lister;
        this.positions = positions;
        this.json = json;
        this.events = events;
        this.store = store;
        this.presignTtl = presignTtl;
    }

    static String tenant(RoutingContext ctx) {
        String t = ctx.get("tenant");
        if (t == null) {
            throw new ApiError(ErrorType.UNAUTHORIZED, "a valid API key is required");
        }
        return t;
    }

    /**
     * GET /v1/jobs/{id}. The hottest read: its one parameter is checked here, which costs a fraction of the
     * OpenAPI validator's per-request schema work.
     */
    public void get(RoutingContext ctx) {
        lookup.find(tenant(ctx), jobIdParam(ctx))
                .onSuccess(r -> Responses.json(ctx, 200, render(r)))
                .onFailure(ctx::fail);
    }

    /** The API view of {@code r}, with its current queue position. */
    public Map<String, Object> render(JobRecord r) {
        return json.render(r, positions.position(r));
    }

    /** GET /v1/jobs?limit=&cursor=&status= */
    public void list(RoutingContext ctx) {
        String tenant = tenant(ctx);
        int limit = intParam(ctx, "limit", DEFAULT_LIMIT);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new ApiError(ErrorType.INVALID_PARAMETER, "limit must be in 1.." + MAX_LIMIT, "limit");
        }
        JobStatus status = statusParam(ctx);
        String after = cursorParam(ctx);
        lister.list(tenant, status, after, limit + 1).onSuccess(page -> {
            boolean more = page.size() > limit;
            List<Map<String, Object>> data = new ArrayList<>();
            for (JobRecord r : more ? page.subList(0, limit) : page) {
                data.add(render(r));
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("data", data);
            body.put("next_cursor", more ? cursorFor(page.get(limit - 1).id()) : null);
            Responses.json(ctx, 200, body);
        }).onFailure(ctx::fail);
    }

    /** POST /v1/jobs/{id}/cancel */
    public void cancel(RoutingContext ctx) {
        lookup.find(tenant(ctx), ctx.pathParam("id")).compose(r -> {
            if (r.status().isTerminal()) {
                return Future.succeededFuture(answer(r.id(), "already_completed", 200));
            }
            if (r.cancelRequested()) {
                return Future.succeededFuture(answer(r.id(), "requested", 202));
            }
            return events.publish(JobEvent.cancelRequested(r.id())).map(md -> answer(r.id(), "requested", 202));
        }).onSuccess(a -> Responses.json(ctx, a.status, a.body)).onFailure(ctx::fail);
    }

    private record Answer(Map<String, Object> body, int status) {
    }

    private static Answer answer(String id, String cancel, int status) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("cancel", cancel);
        return new Answer(body, status);
    }

    /** DELETE /v1/jobs/{id}/data: ID photos and outputs go now; a job still in flight is cancelled first. */
    public void deleteData(RoutingContext ctx) {
        Context context = vertx.getOrCreateContext();
        lookup.find(tenant(ctx), ctx.pathParam("id")).compose(r -> {
            Future<?> stop = r.status().isTerminal() || r.cancelRequested()
                    ? Future.succeededFuture() : events.publish(JobEvent.cancelRequested(r.id()));
            return stop.compose(x -> Future.all(
                            Future.fromCompletionStage(store.deletePrefix(ObjectKeys.inputPrefix(r.id())), context),
                            Future.fromCompletionStage(store.deletePrefix(ObjectKeys.outputPrefix(r.id())), context)))
                    .compose(x -> events.publish(JobEvent.dataDeleted(r.id())));
        }).onSuccess(md -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
    }

    /** GET /v1/jobs/{id}/outputs/{n}: a short-lived redirect to the object store. */
    public void output(RoutingContext ctx) {
        int n = intParam(ctx, "n", -1);
        lookup.find(tenant(ctx), ctx.pathParam("id")).map(r -> {
            if (r.dataDeleted()) {
                throw new ApiError(ErrorType.OUTPUT_DELETED, "the outputs of job " + r.id() + " were deleted");
            }
            long expires = json.expiresAt(r);
            long now = System.currentTimeMillis();
            if (expires > 0 && now >= expires) {
                throw new ApiError(ErrorType.OUTPUT_EXPIRED, "the outputs of job " + r.id() + " expired at "
                        + JobJson.time(expires));
            }
            if (r.status() != JobStatus.SUCCEEDED) {
                throw new ApiError(ErrorType.OUTPUT_NOT_READY, "job " + r.id() + " has no outputs; it is "
                        + r.status().wireName());
            }
            List<JobOutput> outputs = r.outputs();
            if (n < 0 || n >= outputs.size()) {
                throw new ApiError(ErrorType.NOT_FOUND, "job " + r.id() + " has " + outputs.size() + " outputs, no "
                        + ctx.pathParam("n"));
            }
            Duration ttl = presignTtl.compareTo(Duration.ofMillis(expires - now)) < 0
                    ? presignTtl : Duration.ofMillis(Math.max(1_000, expires - now));
            String key = outputs.get(n).key() != null ? outputs.get(n).key() : ObjectKeys.output(r.id(), n);
            return store.presignGet(key, ttl);
        }).onSuccess(url -> ctx.response().setStatusCode(302)
                .putHeader(HttpHeaders.LOCATION, url)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end()).onFailure(ctx::fail);
    }

    private static int intParam(RoutingContext ctx, String name, int fallback) {
        String v = ctx.pathParams().containsKey(name) ? ctx.pathParam(name) : ctx.request().getParam(name);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ApiError(ErrorType.INVALID_PARAMETER, name + " must be an integer", name);
        }
    }

    /** The path's job id, as openapi.json's JobId parameter defines it. */
    static String jobIdParam(RoutingContext ctx) {
        String id = ctx.pathParam("id");
        if (!JobIds.isJobId(id)) {
            throw new ApiError(ErrorType.INVALID_PARAMETER, "path parameter id must be a job id as POST /v1/jobs"
                    + " returns it (job_ and 26 lower-case base-32 characters)", "id");
        }
        return id;
    }

    private static JobStatus statusParam(RoutingContext ctx) {
        String v = ctx.request().getParam("status");
        if (v == null || v.isEmpty()) {
            return null;
        }
        for (JobStatus s : JobStatus.values()) {
            if (s.wireName().equals(v)) {
                return s;
            }
        }
        throw new ApiError(ErrorType.INVALID_PARAMETER, "status must be one of queued, running, succeeded, failed, "
                + "canceled, expired", "status");
    }

    private static String cursorParam(RoutingContext ctx) {
        String v = ctx.request().getParam("cursor");
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            String id = new String(Base64.getUrlDecoder().decode(v), StandardCharsets.UTF_8);
            if (JobIds.isJobId(id)) {
                return id;
            }
        } catch (IllegalArgumentException e) {
            // falls through to the error below
        }
        throw new ApiError(ErrorType.INVALID_CURSOR, "cursor is not one this API handed out", "cursor");
    }

    static String cursorFor(String jobId) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(jobId.getBytes(StandardCharsets.UTF_8));
    }
}
