package io.photomaker.worker.loop;

import io.photomaker.common.kafka.KafkaHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.PriorityQueue;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

/**
 * Records that may not start before a time they carry (a retry's back-off, header
 * {@value KafkaHeaders#NOT_BEFORE}, epoch milliseconds), set aside until then while the loop goes on
 * with other records, of the same partition too. A partition holds at most {@code perPartition} of them;
 * past that the loop pauses it.
 * Not thread-safe: the loop's thread only.
 */
final class DelayedRecords {
    private record Held(ConsumerRecord<String, byte[]> record, long notBefore) {
    }

    private final int perPartition;
    private final PriorityQueue<Held> byTime = new PriorityQueue<>((a, b) -> Long.compare(a.notBefore, b.notBefore));
    private final Map<TopicPartition, Integer> counts = new HashMap<>();

    DelayedRecords(int perPartition) {
        this.perPartition = perPartition;
    }

    /** The record's not-before time, 0 when it has none (or an unreadable one). */
    static long notBefore(ConsumerRecord<String, byte[]> r) {
        Header h = r.headers().lastHeader(KafkaHeaders.NOT_BEFORE);
        if (h == null) {
            return 0;
        }
        try {
            return Long.parseLong(new String(h.value(), StandardCharsets.UTF_8));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Whether {@code tp} may set aside another record. */
    boolean hasRoom(TopicPartition tp) {
        return counts.getOrDefault(tp, 0) < perPartition;
    }

    void hold(ConsumerRecord<String, byte[]> r, long notBefore) {
        byTime.add(new Held(r, notBefore));
        counts.merge(partitionOf(r), 1, Integer::sum);
    }

    /** Removes and returns up to {@code max} records due at {@code now}, earliest first. */
    List<ConsumerRecord<String, byte[]>> takeDue(long now, int max) {
        List<ConsumerRecord<String, byte[]>> due = new ArrayList<>();
        while (due.size() < max && !byTime.isEmpty() && byTime.peek().notBefore <= now) {
            ConsumerRecord<String, byte[]> r = byTime.poll().record;
            counts.merge(partitionOf(r), -1, Integer::sum);
            due.add(r);
        }
        return due;
    }

    /** When the next held record is due. */
    OptionalLong nextDue() {
        return byTime.isEmpty() ? OptionalLong.empty() : OptionalLong.of(byTime.peek().notBefore);
    }

    /** Drops the held records of {@code partitions}; they are read again later (revoked or rewound). */
    void forget(Collection<TopicPartition> partitions) {
        byTime.removeIf(h -> partitions.contains(partitionOf(h.record)));
        partitions.forEach(counts::remove);
    }

    int size() {
        return byTime.size();
    }

    private static TopicPartition partitionOf(ConsumerRecord<String, byte[]> r) {
        return new TopicPartition(r.topic(), r.partition());
    }
}
