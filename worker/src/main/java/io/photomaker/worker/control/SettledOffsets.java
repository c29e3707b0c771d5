package io.photomaker.worker.control;

import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.kafka.KafkaClients;
import io.photomaker.common.kafka.Topics;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far the worker group has consumed each partition of {@code photomaker.jobs} (its committed offsets):
 * work items below it have been dealt with, so control entries of finished jobs whose work item lies below
 * it can be dropped. Asked at most every {@value #INTERVAL_MS} ms; an unanswered question drops nothing.
 */
final class SettledOffsets implements AutoCloseable {
    static final long INTERVAL_MS = 30_000;
    private static final Logger LOG = LoggerFactory.getLogger(SettledOffsets.class);

    private final Admin admin;
    private long askedAt;

    SettledOffsets(KafkaSettings kafka, String clientId) {
        Map<String, Object> cfg = new HashMap<>(KafkaClients.admin(kafka));
        cfg.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        this.admin = Admin.create(cfg);
    }

    /** Whether the offsets are worth asking for again. */
    boolean due() {
        return System.currentTimeMillis() - askedAt >= INTERVAL_MS;
    }

    /** The group's committed offset of each of {@code partitions} that has one; empty when Kafka does not say. */
    Map<Integer, Long> consumedUpTo(Collection<Integer> partitions) {
        askedAt = System.currentTimeMillis();
        Map<Integer, Long> out = new HashMap<>();
        try {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(Topics.WORKER_GROUP)
                    .partitionsToOffsetAndMetadata().get(5, TimeUnit.SECONDS);
            committed.forEach((tp, om) -> {
                if (tp.topic().equals(Topics.JOBS) && om != null && partitions.contains(tp.partition())) {
                    out.put(tp.partition(), om.offset());
                }
            });
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("worker group offsets not read: {}", e.toString());
        }
        return out;
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
