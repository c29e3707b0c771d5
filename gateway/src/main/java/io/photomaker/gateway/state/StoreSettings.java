package io.photomaker.gateway.state;

import io.photomaker.common.config.ConfigException;
import io.photomaker.common.config.Settings;
import io.photomaker.gateway.settings.GatewaySettings;

/**
 * How the state processor keeps its stores: standby copies on other gateways and one bounded memory budget
 * for all of this process's RocksDB instances, whatever the number of partitions it holds.
 *
 * @param standbyReplicas standby copies of each store partition on other gateways (PM_STATE_STANDBY_REPLICAS)
 * @param blockCacheBytes one LRU block cache shared by every store, index and filter blocks included
 *                        (PM_STATE_BLOCK_CACHE_MB)
 * @param writeBufferBytes memtables of all stores together, charged to the block cache (PM_STATE_WRITE_BUFFER_MB)
 * @param recordCacheBytes Kafka Streams' on-heap record cache in front of the stores (PM_STATE_RECORD_CACHE_MB)
 */
public record StoreSettings(int standbyReplicas, long blockCacheBytes, long writeBufferBytes, long recordCacheBytes) {
    private static final long MB = 1L << 20;

    public StoreSettings {
        if (standbyReplicas < 0 || standbyReplicas > 3) {
            throw new ConfigException("PM_STATE_STANDBY_REPLICAS must be in 0..3, was " + standbyReplicas);
        }
        if (blockCacheBytes < 8 * MB) {
            throw new ConfigException("PM_STATE_BLOCK_CACHE_MB must be at least 8");
        }
        if (writeBufferBytes < 4 * MB || writeBufferBytes >= blockCacheBytes) {
            throw new ConfigException("PM_STATE_WRITE_BUFFER_MB must be at least 4 and below PM_STATE_BLOCK_CACHE_MB"
                    + " (memtables are charged to the block cache)");
        }
        if (recordCacheBytes < 0) {
            throw new ConfigException("PM_STATE_RECORD_CACHE_MB must not be negative");
        }
    }

    /** Reads the PM_STATE_* store settings; the defaults keep RocksDB within about 64 MB off the heap. */
    public static StoreSettings from(Settings s) {
        return new StoreSettings(
                s.integer(GatewaySettings.STATE_STANDBY_REPLICAS),
                s.longValue(GatewaySettings.STATE_BLOCK_CACHE_MB) * MB,
                s.longValue(GatewaySettings.STATE_WRITE_BUFFER_MB) * MB,
                s.longValue(GatewaySettings.STATE_RECORD_CACHE_MB) * MB);
    }

    /** The defaults. */
    public static StoreSettings defaults() {
        return from(Settings.of(java.util.Map.of()));
    }

    public StoreSettings withStandbys(int n) {
        return new StoreSettings(n, blockCacheBytes, writeBufferBytes, recordCacheBytes);
    }
}
