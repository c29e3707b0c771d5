package io.photomaker.common.kafka;

import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.event.JobEvent;
import io.photomaker.common.job.JobMessage;
import io.photomaker.common.json.Json;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The one durable producer a process uses to enqueue jobs and append lifecycle events
 * (acks=all, idempotent). Futures complete when the broker has acknowledged the record.
 */
public final class JobProducer implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;

    public JobProducer(KafkaSettings kafka, String clientId) {
        this.producer = new KafkaProducer<>(KafkaClients.producer(kafka, clientId));
    }

    /** Puts a work item on its model's work queue ({@link Topics#jobsFor}). */
    public CompletableFuture<RecordMetadata> enqueue(JobMessage job, RecordHeaders headers) {
        String topic = Topics.jobsFor(job.request() == null ? null : job.request().model());
        return send(new ProducerRecord<>(topic, null, job.jobId(), Json.bytes(job), headers));
    }

    /** Appends an event to {@link Topics#JOB_EVENTS}. */
    public CompletableFuture<RecordMetadata> publish(JobEvent event) {
        return send(new ProducerRecord<>(Topics.JOB_EVENTS, event.jobId(), Json.bytes(event)));
    }

    /** Appends an event carrying tracing or other headers. */
    public CompletableFuture<RecordMetadata> publish(JobEvent event, RecordHeaders headers) {
        return send(new ProducerRecord<>(Topics.JOB_EVENTS, null, event.jobId(), Json.bytes(event), headers));
    }

    /** Sends any record through the same durable producer (dead letters, webhooks). */
    public CompletableFuture<RecordMetadata> send(ProducerRecord<String, byte[]> record) {
        CompletableFuture<RecordMetadata> f = new CompletableFuture<>();
        try {
            producer.send(record, (md, e) -> {
                if (e != null) {
                    f.completeExceptionally(e);
                } else {
                    f.complete(md);
                }
            });
        } catch (RuntimeException e) {
            f.completeExceptionally(e);
        }
        return f;
    }

    public void flush() {
        producer.flush();
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
