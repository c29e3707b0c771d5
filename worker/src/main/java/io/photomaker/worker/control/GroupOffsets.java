package io.photomaker.worker.control;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumer groups' committed offsets, read with the Admin API: the control reader asks how far the worker
 * group has consumed its work queue ({@link SettledOffsets}) and how far the state processor has applied
 * the job events ({@link Handovers}). Asking neither joins a group nor commits for it.
 */
final class GroupOffsets implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupOffsets.class);
    private static final long TIMEOUT_MS = 5_000;

    private final Admin admin;

    GroupOffsets(Admin admin) {
        this.admin = admin;
    }

    /**
     * {@code group}'s committed offset of each of {@code partitions} that has one (a partition it never committed
     * for is left out); null when Kafka did not answer in time.
     */
    Map<TopicPartition, Long> committed(String group, Collection<TopicPartition> partitions) {
        ListConsumerGroupOffsetsSpec spec = new ListConsumerGroupOffsetsSpec().topicPartitions(List.copyOf(partitions));
        Map<TopicPartition, OffsetAndMetadata> found;
        try {
            found = admin.listConsumerGroupOffsets(Map.of(group, spec)).partitionsToOffsetAndMetadata(group)
                    .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (Exception e) {
            LOG.debug("committed offsets of group {} not read: {}", group, e.toString());
            return null;
        }
        Map<TopicPartition, Long> out = new HashMap<>();
        found.forEach((tp, om) -> {
            if (om != null) {
                out.put(tp, om.offset());
            }
        });
        return out;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
