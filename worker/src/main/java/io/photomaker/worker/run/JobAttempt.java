package io.photomaker.worker.run;

import io.photomaker.common.errors.ErrorType;
import io.photomaker.common.event.JobEvent;
import io.photomaker.common.job.JobFailure;
import io.photomaker.common.job.JobMessage;
import io.photomaker.common.job.JobOutput;
import io.photomaker.common.logging.JobLogContext;
import io.photomaker.common.state.JobControl;
import io.photomaker.worker.loop.RecordRunner.Outcome;
import io.photomaker.worker.stop.StopReason;
import io.photomaker.worker.stop.StopSignal;
import io.photomaker.worker.stop.StopSwitch;
import io.photomaker.worker.stop.Stopped;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.common.header.Headers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One delivery of a work item, moved through three stages by {@link JobAttemptRunner}: {@link #prepare}
 * (CPU: the verdict -- canceled, expired, attempts used up -- then the handler's inputs), {@link #generate}
 * (device: the {@code started} event, sent without waiting, then generation) and {@link #finish} (CPU:
 * outputs stored, then the outcome event, acknowledged before the delivery may be committed). A stage that
 * finds the outcome already decided does nothing. A hand-back stop that arrives before the device stage
 * began ends the delivery at once.
 */
final class JobAttempt implements JobContext {
    private static final Logger LOG = LoggerFactory.getLogger(JobAttemptRunner.class);
    private static final long PROGRESS_INTERVAL_MS = 200;

    private final JobAttemptRunner.Parts parts;
    private final JobMessage job;
    private final Headers headers;
    private final StopSwitch stopSwitch;
    private final StopSignal stop;
    private final CompletableFuture<Outcome> result = new CompletableFuture<>();
    private final String[] outcome = {"handed_back", null};
    private int attempt;
    private JobTrace trace;
    private JobHandler.Prepared prepared;
    private JobHandler.Generated generated;
    private RuntimeException failure;
    private CompletableFuture<?> startedAck;
    private long startedNanos;
    private long lastProgressAt;
    private long lastStepNanos;

    JobAttempt(JobAttemptRunner.Parts parts, JobMessage job, Headers headers, StopSwitch stopSwitch) {
        this.parts = parts;
        this.job = job;
        this.headers = headers;
        this.stopSwitch = stopSwitch;
        this.stop = stopSwitch.orWhenCanceled(this::canceledByUser);
        stopSwitch.whenStopped(reason -> {
            if (reason.handsBack() && !stopSwitch.hasBegun()) {
                result.complete(Outcome.HAND_BACK);
            }
        });
    }

    CompletableFuture<Outcome> result() {
        return result;
    }

    /** Stage 1, CPU: the verdict, then the handler's preparation (a failure is recorded at once). */
    void prepare() {
        if (result.isDone()) {
            return;
        }
        Optional<JobControl> rec = parts.control().get(job.jobId());
        attempt = Math.max(job.attempt(), rec.map(r -> r.attempt() + 1).orElse(1));
        trace = JobTrace.begin(parts.tracing(), job, headers, attempt, parts.outcomes().workerId());
        try (JobLogContext log = logContext()) {
            Optional<Outcome> verdict = verdict(rec);
            if (verdict.isPresent()) {
                result.complete(verdict.get());
                return;
            }
            try {
                prepared = parts.handler().prepare(job, this);
            } catch (RuntimeException e) {
                failure = e;
            }
            if (failure != null && stopSwitch.begin()) {
                begin();
                finish();
            }
        } catch (JobOutcomes.KafkaUnavailable e) {
            handBackAfter(e);
        }
    }

    /** Stage 2, device: announce the start (without waiting for the ack) and generate. */
    void generate() {
        if (result.isDone()) {
            return;
        }
        try (JobLogContext log = logContext()) {
            if (!stopSwitch.begin()) {
                failure = new Stopped(stopSwitch.reason().orElse(StopReason.DRAIN), 0);
                return;
            }
            begin();
            stop.check(0);
            generated = prepared.generate(this);
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    /** Stage 3, CPU: store the outputs and record the outcome, or record the failure. */
    void finish() {
        if (result.isDone()) {
            closeTrace();
            return;
        }
        try (JobLogContext log = logContext()) {
            result.complete(failure == null ? succeed() : handle(failure));
        } catch (JobOutcomes.KafkaUnavailable e) {
            handBackAfter(e);
        } catch (RuntimeException e) {
            try (JobLogContext log = logContext()) {
                result.complete(handle(e));
            } catch (JobOutcomes.KafkaUnavailable k) {
                handBackAfter(k);
            }
        } finally {
            if (startedNanos != 0) {
                parts.metrics().finished(Duration.ofNanos(System.nanoTime() - startedNanos), outcome[0], outcome[1]);
                trace.outcome(outcome[0], outcome[1]);
                startedNanos = 0;
            }
            closeTrace();
        }
    }

    /** The chain of stages broke (a lane shut down): nothing durable happened that a redelivery would not redo. */
    void crashed(Throwable e) {
        LOG.error("job {} attempt {} could not run to its end", job.jobId(), attempt, e);
        result.complete(Outcome.HAND_BACK);
        closeTrace();
    }

    private Optional<Outcome> verdict(Optional<JobControl> rec) {
        JobOutcomes outcomes = parts.outcomes();
        if (rec.isPresent() && (rec.get().terminal() || rec.get().cancelRequested())) {
            if (!rec.get().terminal()) {
                outcomes.publish(trace, JobEvent.canceled(job.jobId(), attempt, outcomes.workerId()));
            }
            trace.outcome("skipped", null);
            LOG.info("job {} skipped: {}", job.jobId(), rec.get().terminal() ? "it already ended" : "canceled");
            return Optional.of(Outcome.COMMIT);
        }
        if (job.expiredAt(parts.clock().millis())) {
            outcomes.publish(trace, JobEvent.expired(job.jobId(), attempt, outcomes.workerId()));
            trace.outcome("expired", null);
            LOG.info("job {} expired before it started", job.jobId());
            return Optional.of(Outcome.COMMIT);
        }
        if (attempt > outcomes.retry().maxAttempts()) {
            trace.outcome("dead_letter", ErrorType.RETRIES_EXHAUSTED.wireName());
            outcomes.deadLetter(job, attempt, JobFailure.of(ErrorType.RETRIES_EXHAUSTED,
                    "the job was interrupted " + (attempt - 1) + " times (worker crashes or outages)"), trace);
            return Optional.of(Outcome.COMMIT);
        }
        return Optional.empty();
    }

    private void begin() {
        int total = job.request().numSteps() * job.request().numOutputs();
        startedAck = parts.outcomes().send(trace, JobEvent.started(job, attempt, parts.outcomes().workerId(), total));
        LOG.info("job {} attempt {} started", job.jobId(), attempt);
        parts.metrics().started(job.submittedAt());
        startedNanos = System.nanoTime();
        lastStepNanos = startedNanos;
    }

    private Outcome succeed() {
        List<JobOutput> outputs = generated.store(this);
        JobOutcomes.await(startedAck);
        if (stop.reason().orElse(null) == StopReason.CANCELED_BY_USER) {
            outcome[0] = "canceled";
            return parts.outcomes().canceled(job, attempt, trace);
        }
        parts.outcomes().publish(trace, JobEvent.succeeded(job.jobId(), attempt, parts.outcomes().workerId(), outputs));
        outcome[0] = "succeeded";
        LOG.info("job {} attempt {} succeeded with {} outputs", job.jobId(), attempt, outputs.size());
        return Outcome.COMMIT;
    }

    private Outcome handle(RuntimeException e) {
        if (startedAck != null) {
            JobOutcomes.await(startedAck);
        }
        if (e instanceof Stopped s) {
            if (s.reason().handsBack()) {
                return Outcome.HAND_BACK;
            }
            outcome[0] = "canceled";
            return parts.outcomes().canceled(job, attempt, trace);
        }
        if (e instanceof JobOutcomes.KafkaUnavailable k) {
            throw k;
        }
        JobFailure f;
        if (e instanceof JobFailedException jf) {
            f = jf.failure();
        } else {
            LOG.error("job {} attempt {} failed unexpectedly", job.jobId(), attempt, e);
            f = JobFailure.of(ErrorType.INTERNAL_ERROR,
                    "the worker failed unexpectedly; the failure is in its log");
        }
        return parts.outcomes().failed(job, attempt, f, outcome, trace);
    }

    private void handBackAfter(JobOutcomes.KafkaUnavailable e) {
        if (trace != null) {
            trace.outcome("handed_back", null);
        }
        LOG.warn("job {}: cannot record outcome ({}); leaving it for redelivery", job.jobId(), e.getMessage());
        result.complete(Outcome.HAND_BACK);
    }

    private synchronized void closeTrace() {
        if (trace != null) {
            trace.close();
            trace = null;
        }
    }

    private JobLogContext logContext() {
        return JobLogContext.open(job.jobId(), job.tenant(), trace == null ? null : trace.spanContext());
    }

    private boolean canceledByUser() {
        return parts.control().get(job.jobId()).map(JobControl::cancelRequested).orElse(false);
    }

    @Override
    public int attempt() {
        return attempt;
    }

    @Override
    public void progress(int step, int total) {
        long nanos = System.nanoTime();
        parts.metrics().step(nanos - lastStepNanos);
        lastStepNanos = nanos;
        long now = parts.clock().millis();
        if (step == total || now - lastProgressAt >= PROGRESS_INTERVAL_MS) {
            lastProgressAt = now;
            parts.outcomes().send(trace, JobEvent.progress(job.jobId(), attempt, parts.outcomes().workerId(), step, total));
        }
    }

    @Override
    public StopSignal stop() {
        return stop;
    }

    @Override
    public <T> T phase(String name, Supplier<T> work) {
        return trace.phase(name, work);
    }
}
