package io.photomaker.worker.run;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.photomaker.common.job.JobMessage;
import io.photomaker.common.trace.Tracing;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The spans of one delivery of a job, joined to the trace the gateway started: {@code job.queue_wait}
 * (from submission to pickup), {@code job.run} (pickup to outcome) and one child span of it per phase
 * ({@code download_inputs}, {@code encode_id}, {@code denoise}, {@code decode_upload}). Status events carry
 * the run span's context; a re-queued retry carries the submission's, so every attempt joins one trace.
 */
final class JobTrace implements AutoCloseable {
    private final Tracing tracing;
    private final Tracer tracer;
    private final Context parent;
    private final Span run;
    private final Context runContext;

    private JobTrace(Tracing tracing, Context parent, Span run) {
        this.tracing = tracing;
        this.tracer = tracing.tracer();
        this.parent = parent;
        this.run = run;
        this.runContext = parent.with(run);
    }

    /** Picks up the trace carried by {@code headers} and opens the spans of this delivery. */
    static JobTrace begin(Tracing tracing, JobMessage job, Headers headers, int attempt, String workerId) {
        Context parent = tracing.extract(headers);
        long now = System.currentTimeMillis();
        Tracer tracer = tracing.tracer();
        tracer.spanBuilder("job.queue_wait").setParent(parent)
                .setStartTimestamp(Math.min(job.submittedAt(), now), TimeUnit.MILLISECONDS)
                .setAttribute("job.id", job.jobId())
                .setAttribute("tenant", job.tenant())
                .setAttribute("job.attempt", attempt)
                .startSpan()
                .end(now, TimeUnit.MILLISECONDS);
        Span run = tracer.spanBuilder("job.run").setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setStartTimestamp(now, TimeUnit.MILLISECONDS)
                .setAttribute("job.id", job.jobId())
                .setAttribute("tenant", job.tenant())
                .setAttribute("job.attempt", attempt)
                .setAttribute("worker.id", workerId)
                .setAttribute("job.steps", job.request().numSteps())
                .setAttribute("job.outputs", job.request().numOutputs())
                .startSpan();
        return new JobTrace(tracing, parent, run);
    }

    /** The run span's context, for log lines. */
    io.opentelemetry.api.trace.SpanContext spanContext() {
        return run.getSpanContext();
    }

    /** Headers for a status event of this delivery (the run span is its parent). */
    RecordHeaders eventHeaders() {
        return tracing.headers(runContext);
    }

    /** Headers for the next attempt's work item: the submission stays its parent. */
    RecordHeaders retryHeaders() {
        return tracing.headers(parent);
    }

    /** Runs one phase of the job as a child span of {@code job.run}; a failure marks the span. */
    <T> T phase(String name, Supplier<T> work) {
        Span span = tracer.spanBuilder(name).setParent(runContext).startSpan();
        try {
            return work.get();
        } catch (RuntimeException e) {
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            throw e;
        } finally {
            span.end();
        }
    }

    /** Records how the delivery ended: succeeded, failed, canceled, retry, dead_letter, skipped, ... */
    void outcome(String outcome, String failureType) {
        run.setAttribute("job.outcome", outcome);
        if (failureType != null) {
            run.setAttribute("job.failure_type", failureType);
        }
        if ("failed".equals(outcome) || "dead_letter".equals(outcome) || "retry".equals(outcome)) {
            run.setStatus(StatusCode.ERROR, failureType == null ? outcome : failureType);
        }
    }

    @Override
    public void close() {
        run.end();
    }
}
