package io.photomaker.testkit.infra;

import java.io.InputStream;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * A store that counts the completed object writes (PUTs) per key, so a test can see an effect that
 * happened twice even where the second write left the same bytes behind.
 */
final class CountingBlobStore extends ForwardingBlobStore {
    private final Map<String, AtomicInteger> writes;

    CountingBlobStore(BlobStore delegate, Map<String, AtomicInteger> writes) {
        super(delegate);
        this.writes = writes;
    }

    /** A fresh counter map to share across restarts of the server. */
    static Map<String, AtomicInteger> newCounts() {
        return new ConcurrentHashMap<>();
    }

    @Override
    public PutObjectResponse putBlob(PutObjectRequest request, InputStream content) {
        PutObjectResponse response = super.putBlob(request, content);
        writes.computeIfAbsent(request.key(), k -> new AtomicInteger()).incrementAndGet();
        return response;
    }

    /** Writes per key under {@code prefix}, sorted by key. */
    static Map<String, Integer> under(Map<String, AtomicInteger> writes, String prefix) {
        Map<String, Integer> found = new TreeMap<>();
        writes.forEach((key, count) -> {
            if (key.startsWith(prefix)) {
                found.put(key, count.get());
            }
        });
        return found;
    }
}
