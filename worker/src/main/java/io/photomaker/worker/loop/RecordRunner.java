package io.photomaker.worker.loop;

import io.photomaker.worker.stop.StopSwitch;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Does the work one record of a topic asks for (a job, an identity's embeddings), off the loop's thread.
 * The loop commits the record only after the future says {@link Outcome#COMMIT}; it stops the work through
 * {@code stop} when the worker drains or loses the partition.
 */
@FunctionalInterface
public interface RecordRunner {

    /** How a record's work ended. */
    enum Outcome {
        /** Its effects are durable (or there are none to have): the record may be committed. */
        COMMIT,
        /** It left no outcome: the record must be delivered again. */
        HAND_BACK
    }

    /** Starts the work of {@code record}; must not block the caller. */
    CompletableFuture<Outcome> start(ConsumerRecord<String, byte[]> record, StopSwitch stop);
}
