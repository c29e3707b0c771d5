package io.photomaker.worker.loop;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * Kafka's {@link MockConsumer} over a log that keeps its records, as a broker does: each poll delivers
 * the records at or after the consumer's position in every assigned, unpaused partition, so a seek back
 * reads records again. Also tracks end offsets for lag.
 */
final class LogConsumer extends MockConsumer<String, byte[]> {
    private final Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> log = new HashMap<>();
    private final List<Map<TopicPartition, OffsetAndMetadata>> commits = new ArrayList<>();

    LogConsumer() {
        super("earliest");
    }

    /** Appends a record to the log and returns its offset. */
    synchronized long append(TopicPartition tp, String key, String value, RecordHeaders headers) {
        List<ConsumerRecord<String, byte[]>> records = log.computeIfAbsent(tp, k -> new ArrayList<>());
        long offset = records.size();
        records.add(new ConsumerRecord<>(tp.topic(), tp.partition(), offset, 0L, TimestampType.CREATE_TIME,
                -1, -1, key, value.getBytes(StandardCharsets.UTF_8), headers, Optional.empty()));
        updateEndOffsets(Map.of(tp, offset + 1));
        return offset;
    }

    long append(TopicPartition tp, String value) {
        return append(tp, value, value, new RecordHeaders());
    }

    /** Gives the consumer {@code partitions} (the rebalance listener hears of it at the next poll). */
    synchronized void assignPartitions(List<TopicPartition> partitions) {
        Map<TopicPartition, Long> starts = new HashMap<>();
        Map<TopicPartition, Long> ends = new HashMap<>();
        partitions.forEach(tp -> {
            starts.put(tp, 0L);
            ends.put(tp, (long) log.getOrDefault(tp, List.of()).size());
        });
        updateBeginningOffsets(starts);
        updateEndOffsets(ends);
        rebalance(partitions);
    }

    @Override
    public synchronized ConsumerRecords<String, byte[]> poll(Duration timeout) {
        for (TopicPartition tp : assignment()) {
            if (paused().contains(tp) || !log.containsKey(tp)) {
                continue;
            }
            long position = position(tp);
            for (ConsumerRecord<String, byte[]> r : log.get(tp)) {
                if (r.offset() >= position) {
                    addRecord(r);
                }
            }
        }
        return super.poll(Duration.ZERO);
    }

    @Override
    public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
        commits.add(Map.copyOf(offsets));
        super.commitSync(offsets);
    }

    /** The last position committed for {@code tp}, or -1. */
    synchronized long committedPosition(TopicPartition tp) {
        long position = -1;
        for (Map<TopicPartition, OffsetAndMetadata> c : commits) {
            if (c.containsKey(tp)) {
                position = c.get(tp).offset();
            }
        }
        return position;
    }

    synchronized List<Map<TopicPartition, OffsetAndMetadata>> commits() {
        return List.copyOf(commits);
    }
}
