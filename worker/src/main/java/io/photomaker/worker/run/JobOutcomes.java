package io.photomaker.worker.run;

import io.photomaker.common.event.JobEvent;
import io.photomaker.common.job.JobFailure;
import io.photomaker.common.job.JobMessage;
import io.photomaker.common.job.WorkItemRef;
import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.JobProducer;
import io.photomaker.common.kafka.KafkaHeaders;
import io.photomaker.common.kafka.Topics;
import io.photomaker.common.storage.ObjectKeys;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.worker.loop.RecordRunner.Outcome;
import io.photomaker.worker.loop.WorkerLoop;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a delivery's outcome durable: the status events (waiting for the broker's ack), the retry's
 * re-enqueued work item with its not-before time, the dead letter, the deletion of a canceled job's
 * outputs. Every method returns {@link Outcome#COMMIT} once its records are acknowledged and throws
 * {@link KafkaUnavailable} when they are not.
 */
final class JobOutcomes {
    private static final Logger LOG = LoggerFactory.getLogger(JobAttemptRunner.class);
    private static final long ACK_TIMEOUT_SECONDS = 30;

    private final JobProducer producer;
    private final ObjectStore store;
    private final RetryPolicy retry;
    private final String workerId;
    private final Clock clock;

    JobOutcomes(JobProducer producer, ObjectStore store, RetryPolicy retry, String workerId, Clock clock) {
        this.producer = producer;
        this.store = store;
        this.retry = retry;
        this.workerId = workerId;
        this.clock = clock;
    }

    RetryPolicy retry() {
        return retry;
    }

    String workerId() {
        return workerId;
    }

    /** Sends an event of this delivery without waiting; the returned future completes on the ack. */
    CompletableFuture<?> send(JobTrace trace, JobEvent event) {
        return producer.publish(event, trace.eventHeaders());
    }

    /** Sends an event and waits for the ack. */
    void publish(JobTrace trace, JobEvent event) {
        await(send(trace, event));
    }

    Outcome canceled(JobMessage job, int attempt, JobTrace trace) {
        store.deletePrefix(ObjectKeys.outputPrefix(job.jobId())).exceptionally(e -> 0).join();
        publish(trace, JobEvent.canceled(job.jobId(), attempt, workerId));
        LOG.info("job {} canceled at a step boundary", job.jobId());
        return Outcome.COMMIT;
    }

    /** Records a failed attempt as the retry policy decides; returns the trace outcome name in {@code outcome[0]}. */
    Outcome failed(JobMessage job, int attempt, JobFailure failure, String[] outcome, JobTrace trace) {
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
                long notBefore = clock.millis() + d.delay().toMillis();
                h.add(KafkaHeaders.NOT_BEFORE, Long.toString(notBefore).getBytes(StandardCharsets.UTF_8));
                publish(trace, JobEvent.retryScheduled(job.jobId(), attempt, workerId, failure));
                JobMessage again = job.nextAttempt();
                RecordMetadata item = await(producer.enqueue(again, h));
                // The job's record learns where the retry waits: its queue position and when workers may forget it.
                publish(trace, JobEvent.enqueued(job.jobId(), new WorkItemRef(item.topic(), item.partition(),
                        item.offset(), again.attempt()), workerId));
                LOG.warn("job {} attempt {} failed ({}); retry in {} ms", job.jobId(), attempt, failure.type(),
                        d.delay().toMillis());
            }
        }
        return Outcome.COMMIT;
    }

    void deadLetter(JobMessage job, int attempt, JobFailure failure, JobTrace trace) {
        RecordHeaders h = trace.retryHeaders();
        h.add(KafkaHeaders.FAILURE, Json.bytes(failure));
        await(producer.send(new ProducerRecord<>(Topics.DLQ, null, job.jobId(), Json.bytes(job), h)));
        JobFailure exhausted = new JobFailure(failure.type(), failure.message() + " (gave up after attempt "
                + attempt + ")", true);
        publish(trace, JobEvent.failed(job.jobId(), attempt, workerId, exhausted));
        LOG.error("job {} dead-lettered after attempt {}: {}", job.jobId(), attempt, failure.message());
    }

    static <T> T await(CompletableFuture<T> f) {
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
}
