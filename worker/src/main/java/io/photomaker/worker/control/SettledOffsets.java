package io.photomaker.worker.control;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far the worker group has consumed each partition of its work queue (its committed offsets):
 * work items below it have been dealt with, so control entries of finished jobs whose work item lies below
 * it can be dropped. Read through the control reader's own consumer (configured with the workers' group id,
 * which it never joins and never commits for), at most every {@value #INTERVAL_MS} ms; an unanswered
 * question drops nothing.
 */
final class SettledOffsets {
    static final long INTERVAL_MS = 30_000;
    private static final Logger LOG = LoggerFactory.getLogger(SettledOffsets.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Consumer<?, ?> consumer;
    private final String jobsTopic;
    private long askedAt;

    SettledOffsets(Consumer<?, ?> consumer, String jobsTopic) {
        this.consumer = consumer;
        this.jobsTopic = jobsTopic;
    }

    /** Whether the offsets are worth asking for again. */
    boolean due() {
        return System.currentTimeMillis() - askedAt >= INTERVAL_MS;
    }

    /** The group's committed offset of each of {@code partitions} that has one; empty when Kafka does not say. */
    Map<Integer, Long> consumedUpTo(Collection<Integer> partitions) {
        askedAt = System.currentTimeMillis();
        Set<TopicPartition> queue = partitions.stream().map(p -> new TopicPartition(jobsTopic, p))
                .collect(Collectors.toSet());
        Map<Integer, Long> out = new HashMap<>();
        for (int attempt = 0; attempt < 2 && out.isEmpty(); attempt++) {
            try {
                consumer.committed(queue, TIMEOUT).forEach((tp, om) -> {
                    if (om != null) {
                        out.put(tp.partition(), om.offset());
                    }
                });
                break;
            } catch (WakeupException e) {
                // A follow() raced this question; the wakeup is spent now, so ask once more.
            } catch (KafkaException e) {
                LOG.debug("worker group offsets not read: {}", e.toString());
                break;
            }
        }
        return out;
    }
}
