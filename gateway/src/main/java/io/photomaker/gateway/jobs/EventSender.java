package io.photomaker.gateway.jobs;

import io.photomaker.common.errors.ErrorType;
import io.photomaker.common.event.JobEvent;
import io.photomaker.common.job.JobMessage;
import io.photomaker.common.job.WorkItemRef;
import io.photomaker.common.kafka.JobProducer;
import io.photomaker.common.trace.Tracing;
import io.photomaker.gateway.http.ApiError;
import io.photomaker.gateway.ops.KafkaProbe;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Appends work items and events through the process's durable producer without blocking an event loop:
 * a send call that may wait for metadata runs on a worker thread, and every acknowledgement comes back
 * on the caller's context. When Kafka is known to be down, or does not acknowledge in time, the future
 * fails with a 503 {@link ApiError} carrying Retry-After. Work items and submitted events carry the
 * submitting span's trace context in their headers, so a job's worker spans join its trace.
 */
public final class EventSender {
    private static final int RETRY_AFTER_SECONDS = 5;

    private final Vertx vertx;
    private final JobProducer producer;
    private final KafkaProbe probe;
    private final Duration ackTimeout;
    private final Tracing tracing;
    /** Whether the last submission's records were acknowledged, so the producer has both topics' metadata. */
    private volatile boolean metadataKnown;

    public EventSender(Vertx vertx, JobProducer producer, KafkaProbe probe, Duration ackTimeout) {
        this(vertx, producer, probe, ackTimeout, Tracing.off());
    }

    public EventSender(Vertx vertx, JobProducer producer, KafkaProbe probe, Duration ackTimeout, Tracing tracing) {
        this.vertx = vertx;
        this.producer = producer;
        this.probe = probe;
        this.ackTimeout = ackTimeout;
        this.tracing = tracing;
    }

    /** The gateway's tracing (off unless PM_OTLP_ENDPOINT is set). */
    public Tracing tracing() {
        return tracing;
    }

    /** Whether sending is worth trying at all (the last probe reached Kafka). */
    public boolean available() {
        return probe.isUp();
    }

    /**
     * Puts the work item on the queue and, once it is acknowledged, appends its submitted event carrying the
     * work item's place (so the job's record knows its queue position from the start); completes with the
     * submitted event's metadata when both are acknowledged, fails (503) when either is not.
     */
    public Future<RecordMetadata> enqueueAndAnnounce(JobMessage job) {
        return enqueueAndAnnounce(job, io.opentelemetry.context.Context.current());
    }

    /** As {@link #enqueueAndAnnounce(JobMessage)}, both records carrying {@code trace}'s span as their parent. */
    public Future<RecordMetadata> enqueueAndAnnounce(JobMessage job, io.opentelemetry.context.Context trace) {
        if (!probe.isUp()) {
            return Future.failedFuture(unavailable());
        }
        Context ctx = vertx.getOrCreateContext();
        return sendFrom(ctx, () -> producer.enqueue(job, tracing.headers(trace)))
                .compose(item -> sendFrom(ctx, () -> producer.publish(JobEvent.submitted(job, placeOf(item, job)),
                        tracing.headers(trace))))
                .timeout(ackTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .onComplete(ar -> metadataKnown = ar.succeeded())
                .recover(e -> Future.failedFuture(e instanceof ApiError ? e : unavailable()));
    }

    private static WorkItemRef placeOf(RecordMetadata item, JobMessage job) {
        return new WorkItemRef(item.topic(), item.partition(), item.offset(), job.attempt());
    }

    /**
     * Hands a record to the producer and completes on {@code ctx} with its acknowledgement. The producer only
     * blocks while it has no metadata for a topic, so until a submission has succeeded (and again after any
     * failure) the hand-over runs on a worker thread; once both topics are known it runs on the caller's event
     * loop, saving a thread hand-off per record.
     */
    private Future<RecordMetadata> sendFrom(Context ctx,
                                            java.util.function.Supplier<CompletableFuture<RecordMetadata>> send) {
        Future<CompletableFuture<RecordMetadata>> handed = metadataKnown
                ? Future.succeededFuture(send.get()) : vertx.executeBlocking(send::get, false);
        return handed.compose(cf -> Future.fromCompletionStage(cf, ctx));
    }

    public Future<RecordMetadata> enqueue(JobMessage job) {
        return send(() -> producer.enqueue(job, new RecordHeaders()));
    }

    public Future<RecordMetadata> publish(JobEvent event) {
        return send(() -> producer.publish(event));
    }

    /** Sends one record to {@code topic} (e.g. an identity request); fails 503 like the others. */
    public Future<RecordMetadata> send(String topic, String key, byte[] value) {
        return send(() -> producer.send(new ProducerRecord<>(topic, key, value)));
    }

    private Future<RecordMetadata> send(java.util.function.Supplier<CompletableFuture<RecordMetadata>> sender) {
        if (!probe.isUp()) {
            return Future.failedFuture(unavailable());
        }
        Context ctx = vertx.getOrCreateContext();
        return vertx.executeBlocking(sender::get, false)
                .compose(cf -> Future.fromCompletionStage(cf, ctx))
                .timeout(ackTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .recover(e -> Future.failedFuture(e instanceof ApiError ? e : unavailable()));
    }

    public static ApiError unavailable() {
        return ApiError.retryAfter(ErrorType.QUEUE_UNAVAILABLE,
                "the job queue is not reachable right now; nothing was kept, try again", RETRY_AFTER_SECONDS);
    }
}
