package io.photomaker.worker.control;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * How far the worker group has consumed each partition of its work queue (its committed offsets):
 * work items below it have been dealt with, so control entries of finished jobs whose work item lies below
 * it can be dropped. Asked through {@link GroupOffsets} at most every {@value #INTERVAL_MS} ms; an unanswered
 * question drops nothing.
 */
final class SettledOffsets {
    static final long INTERVAL_MS = 30_000;

    private final GroupOffsets offsets;
    private final String workerGroup;
    private final String jobsTopic;
    private long askedAt;

    SettledOffsets(GroupOffsets offsets, String workerGroup, String jobsTopic) {
        this.offsets = offsets;
        this.workerGroup = workerGroup;
        this.jobsTopic = jobsTopic;
    }

    /** Whether the offsets are worth asking for again. */
    boolean due() {
        return System.currentTimeMillis() - askedAt >= INTERVAL_MS;
    }

    /** The group's committed offset of each of {@code partitions} that has one; empty when Kafka does not say. */
    Map<Integer, Long> consumedUpTo(Collection<Integer> partitions) {
        askedAt = System.currentTimeMillis();
        List<TopicPartition> queue = partitions.stream().map(p -> new TopicPartition(jobsTopic, p)).toList();
        Map<TopicPartition, Long> committed = offsets.committed(workerGroup, queue);
        Map<Integer, Long> out = new HashMap<>();
        if (committed != null) {
            committed.forEach((tp, offset) -> out.put(tp.partition(), offset));
        }
        return out;
    }
}
