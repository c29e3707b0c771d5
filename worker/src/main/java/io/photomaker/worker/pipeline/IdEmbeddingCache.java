package io.photomaker.worker.pipeline;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Least-recently-used cache of per-image ID embeddings keyed by the sha256 of the image's pixels, so a
 * person's photos are encoded once across jobs. Stores and returns copies. Thread-safe.
 */
public final class IdEmbeddingCache {

    private final int capacity;
    private final Map<String, float[]> entries;
    private long hits;
    private long misses;

    public IdEmbeddingCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
                return size() > IdEmbeddingCache.this.capacity;
            }
        };
    }

    /** The sha256 (hex) of an image's size and ARGB pixels: equal pictures share a key however they were stored. */
    public static String keyOf(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        int[] row = new int[width];
        ByteBuffer bytes = ByteBuffer.allocate(width * 4);
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(ByteBuffer.allocate(8).putInt(width).putInt(height).array());
            for (int y = 0; y < height; y++) {
                image.getRGB(0, y, width, 1, row, 0, width);
                bytes.clear();
                bytes.asIntBuffer().put(row);
                digest.update(bytes.array());
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** A copy of the cached embedding for {@code key}, if present (marks it recently used). */
    public synchronized Optional<float[]> get(String key) {
        float[] value = entries.get(key);
        if (value == null) {
            misses++;
            return Optional.empty();
        }
        hits++;
        return Optional.of(value.clone());
    }

    /** Stores a copy of {@code embedding} under {@code key}, evicting the least recently used beyond capacity. */
    public synchronized void put(String key, float[] embedding) {
        entries.put(key, embedding.clone());
    }

    public synchronized int size() {
        return entries.size();
    }

    public synchronized long hits() {
        return hits;
    }

    public synchronized long misses() {
        return misses;
    }
}
