package io.photomaker.gateway.state;

import java.util.Map;
import org.apache.kafka.streams.state.RocksDBConfigSetter;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.Cache;
import org.rocksdb.CompressionType;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.WriteBufferManager;

/**
 * Puts every RocksDB instance of this process under one memory budget: a single LRU block cache that also
 * holds index and filter blocks, and a write buffer manager that charges all memtables to that cache. A
 * gateway holds one RocksDB per store and partition (active and standby), so without this its off-heap
 * memory would grow with the number of partitions it is given. The sizes come from {@link StoreSettings}
 * through the Streams configuration; the first configuration seen in a process sets them for the process.
 */
public final class BoundedRocksDb implements RocksDBConfigSetter {
    /** Streams configuration key carrying {@link StoreSettings#blockCacheBytes()}. */
    public static final String BLOCK_CACHE_BYTES = "photomaker.rocksdb.block.cache.bytes";
    /** Streams configuration key carrying {@link StoreSettings#writeBufferBytes()}. */
    public static final String WRITE_BUFFER_BYTES = "photomaker.rocksdb.write.buffer.bytes";
    /** Share of the cache kept for index and filter blocks (high priority), so data blocks cannot push them out. */
    private static final double INDEX_FILTER_RATIO = 0.2;
    private static final long MEMTABLE_BYTES = 4L << 20;

    private static Cache cache;
    private static WriteBufferManager writeBuffers;

    @Override
    public void setConfig(String storeName, Options options, Map<String, Object> configs) {
        Shared shared = shared(longOf(configs.get(BLOCK_CACHE_BYTES), 64L << 20),
                longOf(configs.get(WRITE_BUFFER_BYTES), 16L << 20));
        BlockBasedTableConfig table = (BlockBasedTableConfig) options.tableFormatConfig();
        table.setBlockCache(shared.cache());
        table.setCacheIndexAndFilterBlocks(true);
        table.setCacheIndexAndFilterBlocksWithHighPriority(true);
        table.setPinTopLevelIndexAndFilter(true);
        options.setWriteBufferManager(shared.writeBuffers());
        // Small memtables: most stores here take a trickle of writes; the manager caps their sum anyway.
        options.setWriteBufferSize(MEMTABLE_BYTES);
        options.setMaxWriteBufferNumber(2);
        // Job records are JSON: LZ4 keeps a gateway's copy of its partitions about three times smaller on disk
        // and in the page cache, for little CPU on reads and restores.
        options.setCompressionType(CompressionType.LZ4_COMPRESSION);
        options.setTableFormatConfig(table);
    }

    @Override
    public void close(String storeName, Options options) {
        // The cache and the write buffer manager are shared by every store of the process: never closed here.
    }

    private record Shared(Cache cache, WriteBufferManager writeBuffers) {
    }

    private static synchronized Shared shared(long cacheBytes, long writeBufferBytes) {
        if (cache == null) {
            cache = new LRUCache(cacheBytes, -1, false, INDEX_FILTER_RATIO);
            writeBuffers = new WriteBufferManager(writeBufferBytes, cache);
        }
        return new Shared(cache, writeBuffers);
    }

    private static long longOf(Object v, long fallback) {
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v instanceof String s && !s.isBlank()) {
            return Long.parseLong(s.trim());
        }
        return fallback;
    }
}
