package io.photomaker.worker.run;

import io.photomaker.common.event.JobEvent;
import io.photomaker.common.job.JobFailure;
import io.photomaker.common.job.JobMessage;
import io.photomaker.common.job.JobOutput;
import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.JobProducer;
import io.photomaker.common.kafka.Topics;
import io.photomaker.common.logging.JobLogContext;
import io.photomaker.common.job.WorkItemRef;
import io.photomaker.common.state.JobControl;
import io.photomaker.common.storage.ObjectKeys;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.common.trace.Tracing;
import io.photomaker.worker.control.JobControlReader;
import io.photomaker.worker.ops.WorkerMetrics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one delivery of a work item from pickup to a durable outcome: checks the verdict (canceled,
 * expired, attempts used up), announces the start, runs the handler with progress and cancellation,
 * and records success, failure, retry or dead letter. It returns whether the delivery may be committed.
 * Each delivery is traced (see {@link JobTrace}) and its log lines carry the job id and tenant.
 */
public final class JobAttemptRunner {
    /** Header carrying the earliest start time (epoch ms) of a retried work item. */
    public static final String NOT_BEFORE_HEADER = "pm-not-before";
    private static final Logger LOG = LoggerFactory.getLogger(JobAttemptRunner.class);
    private static final long ACK_TIMEOUT_SECONDS = 30;
    private static final long PROGRESS_INTERVAL_MS = 200;

    private final JobHandler handler;
    private final JobProducer producer;
    private final JobControlReader control;
    private final ObjectStore store;
    private final RetryPolicy retry;
    private final String workerId;
    private final WorkerMetrics metrics;
    private final Tracing tracing;

    public JobAttemptRunner(JobHandler handler, JobProducer producer, JobControlReader control, ObjectStore store,
                            RetryPolicy retry, String workerId, WorkerMetrics metrics) {
        this(handler, producer, control, store, retry, workerId, metrics, Tracing.off());
    }

    public JobAttemptRunner(JobHandler handler, JobProducer producer, JobControlReader control, ObjectStore store,
                            RetryPolicy retry, String workerId, WorkerMetrics metrics, Tracing tracing) {
        this.metrics = metrics;
        this.tracing = tracing;
        this.handler = handler;
        this.producer = producer;
        this.control = control;
        this.store = store;
        this.retry = retry;
        this.workerId = workerId;
    }

    /** The outcome of one delivery: COMMIT when its effects are durable, HAND_BACK to leave it for redelivery. */
    public enum Outcome { COMMIT, HAND_BACK }

    /**
     * Runs {@code job}; {@code handBack} turns true when the job must stop without an outcome
     * (drain deadline or partition revoked).
     */
    public Outcome run(JobMessage job, BooleanSupplier handBack) {
        return run(job, new RecordHeaders(), handBack);
    }

    /** As above, continuing the trace whose context {@code headers} (the work item's) carry. */
    public Outcome run(JobMessage job, Headers headers, BooleanSupplier handBack) {
        Optional<JobControl> rec = control.get(job.jobId());
        int attempt = Math.max(job.attempt(), rec.map(r -> r.attempt() + 1).orElse(1));
        try (JobTrace trace = JobTrace.begin(tracing, job, headers, attempt, workerId);
             JobLogContext log = JobLogContext.open(job.jobId(), job.tenant(), trace.spanContext())) {
            return deliver(job, rec, attempt, handBack, trace);
        }
    }

    private Outcome deliver(JobMessage job, Optional<JobControl> rec, int attempt, BooleanSupplier handBack,
                            JobTrace trace) {
        try {
            if (rec.isPresent() && (rec.get().terminal() || rec.get().cancelRequested())) {
                if (!rec.get().terminal()) {
                    publish(trace, JobEvent.canceled(job.jobId(), attempt, workerId));
                }
                trace.outcome("skipped", null);
                LOG.info("job {} skipped: {}", job.jobId(), rec.get().terminal() ? "it already ended" : "canceled");
                return Outcome.COMMIT;
            }
            if (job.expiredAt(System.currentTimeMillis())) {
                publish(trace, JobEvent.expired(job.jobId(), attempt, workerId));
                trace.outcome("expired", null);
                LOG.info("job {} expired before it started", job.jobId());
                return Outcome.COMMIT;
            }
            if (attempt > retry.maxAttempts()) {
                trace.outcome("dead_letter", "retries_exhausted");
                deadLetter(job, attempt, JobFailure.transientFailure("retries_exhausted",
                        "the job was interrupted " + (attempt - 1) + " times (worker crashes or outages)"), trace);
                return Outcome.COMMIT;
            }
            return execute(job, attempt, handBack, trace);
        } catch (KafkaUnavailable e) {
            trace.outcome("handed_back", null);
            LOG.warn("job {}: cannot record outcome ({}); leaving it for redelivery", job.jobId(), e.getMessage());
            return Outcome.HAND_BACK;
        }
    }

    private Outcome execute(JobMessage job, int attempt, BooleanSupplier handBack, JobTrace trace) {
        int total = job.request().numSteps() * job.request().numOutputs();
        publish(trace, JobEvent.started(job, attempt, workerId, total));
        LOG.info("job {} attempt {} started", job.jobId(), attempt);
        metrics.started(job.submittedAt());
        long t0 = System.nanoTime();
        String[] outcome = {"handed_back", null};
        RunContext ctx = new RunContext(job, attempt, handBack, trace);
        try {
            List<JobOutput> outputs = handler.handle(job, ctx);
            if (ctx.canceledByUser()) {
                outcome[0] = "canceled";
                return cancel(job, attempt, trace);
            }
            publish(trace, JobEvent.succeeded(job.jobId(), attempt, workerId, outputs));
            outcome[0] = "succeeded";
            LOG.info("job {} attempt {} succeeded with {} outputs", job.jobId(), attempt, outputs.size());
            return Outcome.COMMIT;
        } catch (JobCanceledException e) {
            if (!ctx.canceledByUser()) {
                return Outcome.HAND_BACK;
            }
            outcome[0] = "canceled";
            return cancel(job, attempt, trace);
        } catch (JobFailedException e) {
            return fail(job, attempt, e.failure(), outcome, trace);
        } catch (KafkaUnavailable e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.error("job {} attempt {} failed unexpectedly", job.jobId(), attempt, e);
            return fail(job, attempt, JobFailure.transientFailure("internal_error", e.toString()), outcome, trace);
        } finally {
            metrics.finished(java.time.Duration.ofNanos(System.nanoTime() - t0), outcome[0], outcome[1]);
            trace.outcome(outcome[0], outcome[1]);
        }
    }

    private Outcome cancel(JobMessage job, int attempt, JobTrace trace) {
        store.deletePrefix(ObjectKeys.outputPrefix(job.jobId())).exceptionally(e -> 0).join();
        publish(trace, JobEvent.canceled(job.jobId(), attempt, workerId));
        LOG.info("job {} canceled at a step boundary", job.jobId());
        return Outcome.COMMIT;
    }

    private Outcome fail(JobMessage job, int attempt, JobFailure failure, String[] outcome, JobTrace trace) {
        RetryPolicy.Decision d = retry.decide(failure, attempt);
        outcome[0] = switch (d.action()) {
            case FAIL -> "failed";
            case DEAD_LETTER -> "dead_letter";
            case RETRY -> "retry";
        };
        outcome[1] = failure.type();
        switch (d.action()) {
            case FAIL -> publish(trace, JobEvent.failed(job.jobId(), attempt, workerId, failure));
            case DEAD_LETTER -> deadLetter(job, attempt, failure, trace);
            case RETRY -> {
                RecordHeaders h = trace.retryHeaders();
                long notBefore = System.currentTimeMillis() + d.delay().toMillis();
                h.add(NOT_BEFORE_HEADER, Long.toString(notBefore).getBytes(StandardCharsets.UTF_8));
                publish(trace, JobEvent.retryScheduled(job.jobId(), attempt, workerId, failure));
                JobMessage again = job.nextAttempt();
                var item = await(producer.enqueue(again, h));
                // The job's record learns where the retry waits: its queue position and when workers may forget it.
                publish(trace, JobEvent.enqueued(job.jobId(), new WorkItemRef(item.partition(), item.offset(),
                        again.attempt()), workerId));
                LOG.warn("job {} attempt {} failed ({}); retry in {} ms", job.jobId(), attempt, failure.type(),
                        d.delay().toMillis());
            }
        }
        return Outcome.COMMIT;
    }

    private void deadLetter(JobMessage job, int attempt, JobFailure failure, JobTrace trace) {
        RecordHeaders h = trace.retryHeaders();
        h.add("pm-failure", Json.bytes(failure));
        await(producer.send(new ProducerRecord<>(Topics.DLQ, null, job.jobId(), Json.bytes(job), h)));
        JobFailure exhausted = new JobFailure(failure.type(), failure.message() + " (gave up after attempt "
                + attempt + ")", true);
        publish(trace, JobEvent.failed(job.jobId(), attempt, workerId, exhausted));
        LOG.error("job {} dead-lettered after attempt {}: {}", job.jobId(), attempt, failure.message());
    }

    /** Appends a status event whose parent span is this delivery's run, and waits for the ack. */
    private void publish(JobTrace trace, JobEvent event) {
        await(producer.publish(event, trace.eventHeaders()));
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> f) {
        try {
            return f.get(ACK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KafkaUnavailable("interrupted");
        } catch (Exception e) {
            throw new KafkaUnavailable(e.getCause() != null ? e.getCause().toString() : e.toString());
        }
    }

    /** Kafka did not acknowledge an event in time: the outcome is not durable. */
    static final class KafkaUnavailable extends RuntimeException {
        KafkaUnavailable(String message) {
            super(message);
        }
    }

    private final class RunContext implements JobContext {
        private final JobMessage job;
        private final int attempt;
        private final BooleanSupplier handBack;
        private final JobTrace trace;
        private long lastProgressAt;
        private long lastStepNanos = System.nanoTime();

        RunContext(JobMessage job, int attempt, BooleanSupplier handBack, JobTrace trace) {
            this.job = job;
            this.attempt = attempt;
            this.handBack = handBack;
            this.trace = trace;
        }

        @Override
        public int attempt() {
            return attempt;
        }

        @Override
        public void progress(int step, int total) {
            long nanos = System.nanoTime();
            metrics.step(nanos - lastStepNanos);
            lastStepNanos = nanos;
            long now = System.currentTimeMillis();
            if (step == total || now - lastProgressAt >= PROGRESS_INTERVAL_MS) {
                lastProgressAt = now;
                producer.publish(JobEvent.progress(job.jobId(), attempt, workerId, step, total), trace.eventHeaders());
            }
        }

        @Override
        public <T> T phase(String name, java.util.function.Supplier<T> work) {
            return trace.phase(name, work);
        }

        @Override
        public boolean isCancelled() {
            return canceledByUser() || handBack.getAsBoolean();
        }

        boolean canceledByUser() {
            return control.get(job.jobId()).map(JobControl::cancelRequested).orElse(false);
        }
    }
}
