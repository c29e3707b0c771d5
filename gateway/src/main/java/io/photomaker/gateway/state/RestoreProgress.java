package io.photomaker.gateway.state;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * How far this instance has restored its active stores from their changelogs: readiness reports it while a
 * gateway starting on a large state catches up, and benchmarks time it.
 */
public final class RestoreProgress implements StateRestoreListener {
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong restored = new AtomicLong();
    private final AtomicLong open = new AtomicLong();

    @Override
    public void onRestoreStart(TopicPartition partition, String store, long startingOffset, long endingOffset) {
        total.addAndGet(Math.max(0, endingOffset - startingOffset));
        open.incrementAndGet();
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long numRestored) {
        restored.addAndGet(numRestored);
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
        open.decrementAndGet();
    }

    @Override
    public void onRestoreSuspended(TopicPartition partition, String store, long totalRestored) {
        open.decrementAndGet();
    }

    /** Changelog records restored so far. */
    public long restored() {
        return restored.get();
    }

    /** Changelog records the restorations started so far had to read (offsets, so compaction gaps count). */
    public long total() {
        return total.get();
    }

    /** Store partitions being restored right now. */
    public long inProgress() {
        return Math.max(0, open.get());
    }
}
