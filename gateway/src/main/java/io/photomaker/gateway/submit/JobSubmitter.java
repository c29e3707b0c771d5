package io.photomaker.gateway.submit;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.photomaker.common.concurrent.Futures;
import io.photomaker.common.errors.ErrorType;
import io.photomaker.common.job.InputLimits;
import io.photomaker.common.job.JobIds;
import io.photomaker.common.job.JobInput;
import io.photomaker.common.job.JobMessage;
import io.photomaker.common.job.JobRequest;
import io.photomaker.common.logging.JobLogContext;
import io.photomaker.common.storage.ObjectKeys;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.gateway.http.ApiError;
import io.photomaker.gateway.jobs.EventSender;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a validated submission durable: ID photos to the object store, then the work item and, once it is
 * acknowledged, the submitted event with the work item's place. It succeeds only when both records are acknowledged; on any
 * failure the photos already stored are deleted again, so a refused job leaves no biometric data behind.
 * The whole of it is the span {@code job.submit}, the root of the job's trace; its context travels with
 * the work item and the submitted event.
 */
public final class JobSubmitter {
    private static final Logger LOG = LoggerFactory.getLogger(JobSubmitter.class);
    private static final int CLEANUP_ATTEMPTS = 12;

    private final Vertx vertx;
    private final ObjectStore store;
    private final EventSender events;
    private final InputLimits limits;

    /**
     * An accepted job.
     *
     * @param announced where its submitted event landed in {@code photomaker.job-events}: the state processor
     *                  has counted the job once its watermark for that partition passes this offset
     */
    public record Accepted(String jobId, long createdAt, JobMessage job, RecordMetadata announced) {
    }

    /** @param limits the photo limits submissions were checked against; the work item carries them to the worker */
    public JobSubmitter(Vertx vertx, ObjectStore store, EventSender events, InputLimits limits) {
        this.vertx = vertx;
        this.store = store;
        this.events = events;
        this.limits = limits;
    }

    public Future<Accepted> submit(String tenant, JobRequest request, List<CheckedImage> images) {
        String jobId = JobIds.newJobId();
        long createdAt = JobIds.createdAt(jobId);
        Context ctx = vertx.getOrCreateContext();
        List<JobInput> inputs = new ArrayList<>();
        CompletableFuture<?>[] puts = new CompletableFuture<?>[images.size()];
        for (int i = 0; i < images.size(); i++) {
            CheckedImage img = images.get(i);
            String key = ObjectKeys.input(jobId, i, img.format().extension());
            inputs.add(new JobInput(key, img.sha256(), img.format().mediaType()));
            puts[i] = store.put(key, img.bytes(), img.format().mediaType());
        }
        long deadlineAt = request.deadlineSeconds() == null ? 0 : createdAt + request.deadlineSeconds() * 1000;
        JobMessage job = new JobMessage(jobId, tenant, request, inputs, createdAt, deadlineAt, 1, limits);
        Span span = startSpan(job);
        io.opentelemetry.context.Context trace = io.opentelemetry.context.Context.current().with(span);
        // One hop back to the event loop once every put has ended (not one per photo), and never while a put
        // is still in flight, so a clean-up cannot race it.
        return Future.fromCompletionStage(Futures.allSettled(puts), ctx)
                .recover(e -> cleanUp(job, ApiError.retryAfter(ErrorType.STORAGE_UNAVAILABLE,
                        "the photo store is not reachable right now; nothing was kept, try again", 5)))
                .compose(v -> events.enqueueAndAnnounce(job, trace)
                        .recover(e -> cleanUp(job, e instanceof ApiError a ? a : EventSender.unavailable())))
                .map(md -> new Accepted(jobId, createdAt, job, md))
                .onComplete(ar -> finish(span, job, ar.failed() ? ar.cause() : null));
    }

    /** Job id and tenant only: photos, prompts and credentials stay out of traces. */
    private Span startSpan(JobMessage job) {
        return events.tracing().tracer().spanBuilder("job.submit")
                .setSpanKind(SpanKind.PRODUCER)
                .setAttribute("job.id", job.jobId())
                .setAttribute("tenant", job.tenant())
                .setAttribute("job.id_photos", job.inputs().size())
                .setAttribute("job.steps", job.request().numSteps())
                .setAttribute("job.outputs", job.request().numOutputs())
                .startSpan();
    }

    private static void finish(Span span, JobMessage job, Throwable failure) {
        try (JobLogContext log = JobLogContext.open(job.jobId(), job.tenant(), span.getSpanContext())) {
            if (failure == null) {
                LOG.info("job {} accepted: {} ID photos, {} steps, {} outputs", job.jobId(), job.inputs().size(),
                        job.request().numSteps(), job.request().numOutputs());
            } else {
                String type = failure instanceof ApiError a ? a.type() : failure.getClass().getSimpleName();
                span.setStatus(StatusCode.ERROR, type);
                LOG.warn("job {} refused: {}", job.jobId(), type);
            }
        } finally {
            span.end();
        }
    }

    private <T> Future<T> cleanUp(JobMessage job, ApiError cause) {
        return deleteInputs(job.jobId())
                .otherwise(e -> {
                    try (JobLogContext log = JobLogContext.open(job.jobId(), job.tenant())) {
                        LOG.warn("could not delete the photos of refused job {} yet: {}; retrying", job.jobId(),
                                e.getMessage());
                    }
                    retryCleanUp(job, 1);
                    return null;
                })
                .compose(n -> Future.failedFuture(cause));
    }

    /** Keeps trying to delete a refused job's photos (2 s, 4 s, ... up to 5 min apart, for about half an hour). */
    private void retryCleanUp(JobMessage job, int attempt) {
        if (attempt > CLEANUP_ATTEMPTS) {
            try (JobLogContext log = JobLogContext.open(job.jobId(), job.tenant())) {
                LOG.error("gave up deleting the photos of refused job {} under {}; retention must remove them",
                        job.jobId(), ObjectKeys.inputPrefix(job.jobId()));
            }
            return;
        }
        long delay = Math.min(300_000L, 1000L << Math.min(attempt, 20));
        vertx.setTimer(delay, t -> deleteInputs(job.jobId()).onFailure(e -> retryCleanUp(job, attempt + 1)));
    }

    private Future<Integer> deleteInputs(String jobId) {
        Context ctx = vertx.getOrCreateContext();
        return Future.fromCompletionStage(store.deletePrefix(ObjectKeys.inputPrefix(jobId)), ctx);
    }
}
