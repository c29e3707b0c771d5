package io.photomaker.gateway.state;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The record and index stores of the partitions whose processing runs in this instance, as the lifecycle
 * processor of each partition holds them. {@link LocalStores} reads an owned partition here directly: a
 * Kafka Streams store lookup asks the stream thread for its tasks and copies their sets on every call, which
 * was about a third of what a GET allocated. A partition is listed from the moment its processor starts
 * (its stores restored) until it closes; a read racing the close fails with Kafka Streams'
 * {@code InvalidStateStoreException}, as a read through a lookup does.
 */
final class OwnedStores {
    /** The stores of one partition that reads use. */
    record Partition(ReadOnlyKeyValueStore<String, byte[]> records, ReadOnlyKeyValueStore<String, byte[]> index) {
        ReadOnlyKeyValueStore<String, byte[]> named(String store) {
            return switch (store) {
                case StateTopology.RECORDS -> records;
                case StateTopology.INDEX -> index;
                default -> null;
            };
        }
    }

    private final Map<Integer, Partition> byPartition = new ConcurrentHashMap<>();

    /** The processor of {@code partition} started with these stores. */
    void opened(int partition, Partition stores) {
        byPartition.put(partition, stores);
    }

    /** The processor of {@code partition} closed; a newer opening of the same partition is kept. */
    void closed(int partition, Partition stores) {
        byPartition.remove(partition, stores);
    }

    /** Store {@code name} of owned partition {@code partition}, or null when this instance does not run it. */
    ReadOnlyKeyValueStore<String, byte[]> store(String name, int partition) {
        Partition p = byPartition.get(partition);
        return p == null ? null : p.named(name);
    }

    /** The partitions whose processing runs here, in order. */
    Set<Integer> partitions() {
        return new TreeSet<>(byPartition.keySet());
    }
}
