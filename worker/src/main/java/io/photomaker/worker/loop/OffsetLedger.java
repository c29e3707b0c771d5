package io.photomaker.worker.loop;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The records taken from each partition and not yet committed, in offset order. Work may finish out of
 * order (a retry held back, overlapping jobs); a partition's commit position only moves past records
 * whose work is done, so a crash redelivers everything unfinished and nothing else. Not thread-safe: the
 * loop's thread only.
 */
final class OffsetLedger {
    /** Per partition: offset of each taken record -> whether its work is done. */
    private final Map<TopicPartition, TreeMap<Long, Boolean>> open = new HashMap<>();

    /** Records that the record at {@code offset} was taken for work. */
    void taken(TopicPartition tp, long offset) {
        open.computeIfAbsent(tp, k -> new TreeMap<>()).put(offset, false);
    }

    /** Records that the work of the record at {@code offset} is done (its effects durable). */
    void done(TopicPartition tp, long offset) {
        TreeMap<Long, Boolean> records = open.get(tp);
        if (records != null && records.containsKey(offset)) {
            records.put(offset, true);
        }
    }

    /**
     * The commit positions that can move: for each partition whose oldest taken records are done, the
     * offset after the last of them. Those records leave the ledger.
     */
    Map<TopicPartition, OffsetAndMetadata> advance() {
        Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
        for (Map.Entry<TopicPartition, TreeMap<Long, Boolean>> e : open.entrySet()) {
            TreeMap<Long, Boolean> records = e.getValue();
            long next = -1;
            while (!records.isEmpty() && records.firstEntry().getValue()) {
                next = records.pollFirstEntry().getKey() + 1;
            }
            if (next >= 0) {
                positions.put(e.getKey(), new OffsetAndMetadata(next));
            }
        }
        open.values().removeIf(TreeMap::isEmpty);
        return positions;
    }

    /** The oldest record of {@code tp} whose work is not done, if any. */
    OptionalLong firstOpen(TopicPartition tp) {
        TreeMap<Long, Boolean> records = open.get(tp);
        if (records == null) {
            return OptionalLong.empty();
        }
        return records.entrySet().stream().filter(e -> !e.getValue()).mapToLong(Map.Entry::getKey).findFirst();
    }

    /** Whether any record of {@code tp} is taken and not yet committed. */
    boolean hasOpen(TopicPartition tp) {
        return open.containsKey(tp);
    }

    /** Forgets {@code partitions} (revoked, or about to be read again from their first open record). */
    void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(open::remove);
    }

    /** Number of taken, uncommitted records over all partitions. */
    int size() {
        return open.values().stream().mapToInt(Map::size).sum();
    }
}
