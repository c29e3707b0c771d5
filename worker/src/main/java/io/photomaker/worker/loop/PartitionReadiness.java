package io.photomaker.worker.loop;

import org.apache.kafka.common.TopicPartition;

/**
 * An extra condition a partition must meet before the loop starts work from it, asked on every loop
 * round; a partition that is not ready stays paused. For instance: the partition's control data (cancel
 * signals) has been read up to date, so no job starts before its cancel can be seen.
 */
@FunctionalInterface
public interface PartitionReadiness {

    /** Every partition is ready. */
    PartitionReadiness ALWAYS = tp -> true;

    boolean isReady(TopicPartition partition);

    /** Ready only when both this and {@code other} say so. */
    default PartitionReadiness and(PartitionReadiness other) {
        return tp -> isReady(tp) && other.isReady(tp);
    }
}
