package io.photomaker.gateway.submit;

import io.photomaker.common.errors.ErrorType;
import io.photomaker.common.json.Json;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.common.storage.StorageException;
import io.photomaker.gateway.http.ApiError;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Remembers which job an {@code Idempotency-Key} created, durably and for every replica: the mapping lives
 * in the object store under {@code idempotency/<tenant>/<sha256(key)>} with a fingerprint of the request.
 * Each replica caches what it has seen and refuses a second concurrent use of one key while the first is
 * still being submitted. Two replicas racing on the very same key within one submission's time can both
 * create a job; the object store has no conditional write to close that gap.
 */
public final class IdempotencyStore {
    /** Where the mappings live; an object-store lifecycle rule expires them (deploy/k8s/base/s3-lifecycle.json). */
    public static final String PREFIX = "idempotency/";
    private static final int CACHE_LIMIT = 50_000;

    private final Vertx vertx;
    private final ObjectStore store;
    private final Duration ttl;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    /**
     * What a key points at.
     *
     * @param jobId the job the first request created
     * @param fingerprint digest of the request fields and photo digests
     * @param createdAt epoch milliseconds of the first request
     */
    public record Entry(String jobId, String fingerprint, long createdAt) {
    }

    public IdempotencyStore(Vertx vertx, ObjectStore store, Duration ttl) {
        this.vertx = vertx;
        this.store = store;
        this.ttl = ttl;
    }

    /** Object key of the mapping for {@code tenant}'s {@code key}. */
    public static String objectKey(String tenant, String key) {
        return PREFIX + tenant + "/" + ImageVerifier.sha256(key.getBytes(StandardCharsets.UTF_8));
    }

    /** Checks a client's key: 1..255 visible ASCII characters. */
    public static void validateKey(String key) {
        if (key.isEmpty() || key.length() > 255 || !key.chars().allMatch(c -> c >= 0x21 && c <= 0x7E)) {
            throw new ApiError(ErrorType.INVALID_IDEMPOTENCY_KEY,
                    "Idempotency-Key must be 1..255 visible ASCII characters", "Idempotency-Key");
        }
    }

    /** Marks the key busy on this replica; false when a request with it is already being submitted here. */
    public boolean begin(String tenant, String key) {
        return inFlight.add(tenant + "\n" + key);
    }

    public void end(String tenant, String key) {
        inFlight.remove(tenant + "\n" + key);
    }

    /** The live mapping for the key, or empty; fails with 503 when the store cannot say. */
    public Future<Optional<Entry>> find(String tenant, String key) {
        String objectKey = objectKey(tenant, key);
        Entry cached = cache.get(objectKey);
        if (cached != null && live(cached)) {
            return Future.succeededFuture(Optional.of(cached));
        }
        Context ctx = vertx.getOrCreateContext();
        return Future.fromCompletionStage(store.get(objectKey), ctx).map(bytes -> {
            Entry e = Json.read(bytes, Entry.class);
            return live(e) ? Optional.of(e) : Optional.<Entry>empty();
        }).recover(failure -> {
            Throwable err = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            if (err instanceof StorageException se && !se.retryable()) {
                return Future.succeededFuture(Optional.empty());
            }
            return Future.failedFuture(ApiError.retryAfter(ErrorType.STORAGE_UNAVAILABLE,
                    "cannot check the Idempotency-Key right now; try again", 5));
        });
    }

    /** Stores the mapping durably before the client is told about the job. */
    public Future<Void> remember(String tenant, String key, Entry entry) {
        String objectKey = objectKey(tenant, key);
        Context ctx = vertx.getOrCreateContext();
        return Future.fromCompletionStage(store.put(objectKey, Json.bytes(entry), "application/json"), ctx)
                .onSuccess(v -> cacheEntry(objectKey, entry));
    }

    private void cacheEntry(String objectKey, Entry e) {
        if (cache.size() >= CACHE_LIMIT) {
            cache.values().removeIf(x -> !live(x));
            if (cache.size() >= CACHE_LIMIT) {
                cache.clear();
            }
        }
        cache.put(objectKey, e);
    }

    private boolean live(Entry e) {
        return System.currentTimeMillis() - e.createdAt() < ttl.toMillis();
    }
}
