package io.photomaker.worker.loop;

import java.time.Clock;
import java.time.Duration;
import java.util.function.LongConsumer;

/**
 * How a {@link WorkerLoop} behaves.
 *
 * @param capacity records worked on at once (1 = one job at a time, no overlap)
 * @param delayedPerPartition records a partition may set aside until their retry time
 * @param handBackPause how long a partition waits after a hand-back before it is read again
 * @param lagTopic the topic whose lag is reported to {@code lagSink}
 */
public record LoopOptions(Duration drain, int capacity, int delayedPerPartition, Duration handBackPause,
                          String lagTopic, Duration lagInterval, LongConsumer lagSink, PartitionReadiness readiness,
                          Clock clock) {
    public LoopOptions {
        if (capacity < 1 || delayedPerPartition < 1) {
            throw new IllegalArgumentException("capacity and delayedPerPartition must be at least 1");
        }
    }

    /** Defaults for {@code lagTopic}: capacity 1, 16 delayed records per partition, 1 s pause, 5 s lag. */
    public static LoopOptions defaults(Duration drain, String lagTopic) {
        return new LoopOptions(drain, 1, 16, Duration.ofSeconds(1), lagTopic, Duration.ofSeconds(5), lag -> { },
                PartitionReadiness.ALWAYS, Clock.systemUTC());
    }

    public LoopOptions withCapacity(int records) {
        return new LoopOptions(drain, records, delayedPerPartition, handBackPause, lagTopic, lagInterval, lagSink,
                readiness, clock);
    }

    public LoopOptions withLagSink(LongConsumer sink) {
        return new LoopOptions(drain, capacity, delayedPerPartition, handBackPause, lagTopic, lagInterval, sink,
                readiness, clock);
    }

    public LoopOptions withReadiness(PartitionReadiness ready) {
        return new LoopOptions(drain, capacity, delayedPerPartition, handBackPause, lagTopic, lagInterval, lagSink,
                ready, clock);
    }

    public LoopOptions withClock(Clock c) {
        return new LoopOptions(drain, capacity, delayedPerPartition, handBackPause, lagTopic, lagInterval, lagSink,
                readiness, c);
    }
}
