package io.photomaker.worker.loop;

import java.util.Collection;
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

    /**
     * The loop is about to read {@code partitions} from their committed or oldest unfinished offset again:
     * they were just assigned, or rewound after a hand-back. Records it already dealt with may come again, so
     * a condition that must reflect them starts over. Nothing by default.
     */
    default void reread(Collection<TopicPartition> partitions) {
    }

    /** Ready only when both this and {@code other} say so; rereads go to both. */
    default PartitionReadiness and(PartitionReadiness other) {
        PartitionReadiness self = this;
        return new PartitionReadiness() {
            @Override
            public boolean isReady(TopicPartition tp) {
                return self.isReady(tp) && other.isReady(tp);
            }

            @Override
            public void reread(Collection<TopicPartition> partitions) {
                self.reread(partitions);
                other.reread(partitions);
            }
        };
    }
}
