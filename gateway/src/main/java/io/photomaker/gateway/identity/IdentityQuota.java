package io.photomaker.gateway.identity;

import io.photomaker.common.errors.ErrorType;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.gateway.http.ApiError;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Caps the identities one tenant stores. Each identity has an empty marker object under
 * {@code tenants/<tenant>/identities/}, so every gateway counts the same stored identities; creations still in
 * flight on this gateway count too, so a burst cannot slip past the cap while its markers are being written.
 */
public final class IdentityQuota {
    /** One list call counts at most this many markers. */
    public static final int MAX_PER_TENANT = 1000;

    private final Vertx vertx;
    private final ObjectStore store;
    private final int max;
    private final Map<String, AtomicInteger> creating = new ConcurrentHashMap<>();

    public IdentityQuota(Vertx vertx, ObjectStore store, int max) {
        if (max < 1 || max > MAX_PER_TENANT) {
            throw new IllegalArgumentException("PM_MAX_IDENTITIES must be in 1.." + MAX_PER_TENANT);
        }
        this.vertx = vertx;
        this.store = store;
        this.max = max;
    }

    static String prefix(String tenant) {
        return "tenants/" + tenant + "/identities/";
    }

    static String marker(String tenant, String identityId) {
        return prefix(tenant) + identityId;
    }

    /**
     * Holds a place for one more identity of {@code tenant}: completes with a {@link Place} to write or give back,
     * or fails 403 {@code identity_quota_exceeded}.
     */
    public Future<Place> reserve(String tenant) {
        AtomicInteger inFlight = creating.computeIfAbsent(tenant, t -> new AtomicInteger());
        if (inFlight.incrementAndGet() > max) {
            inFlight.decrementAndGet();
            return Future.failedFuture(exceeded(tenant));
        }
        Place place = new Place(tenant, inFlight);
        return call(store.list(prefix(tenant))).compose(keys -> {
            if (keys.size() + inFlight.get() > max) {
                place.giveBack();
                return Future.failedFuture(exceeded(tenant));
            }
            return Future.succeededFuture(place);
        }, e -> {
            place.giveBack();
            return Future.failedFuture(ApiError.retryAfter(ErrorType.STORAGE_UNAVAILABLE,
                    "the identity store is not reachable right now; try again", 5));
        });
    }

    /** Removes {@code identityId}'s marker after the identity itself is deleted. */
    public Future<Void> forget(String tenant, String identityId) {
        return call(store.deletePrefix(marker(tenant, identityId))).mapEmpty();
    }

    private ApiError exceeded(String tenant) {
        return new ApiError(ErrorType.IDENTITY_QUOTA_EXCEEDED, "tenant " + tenant + " already stores " + max
                + " identities; delete one before creating another");
    }

    private <T> Future<T> call(java.util.concurrent.CompletableFuture<T> op) {
        return Future.fromCompletionStage(op, vertx.getOrCreateContext());
    }

    /** A place held for one creation: written as a marker when the identity is stored, or given back. */
    public final class Place {
        private final String tenant;
        private final AtomicInteger inFlight;
        private boolean done;

        private Place(String tenant, AtomicInteger inFlight) {
            this.tenant = tenant;
            this.inFlight = inFlight;
        }

        /** Writes the marker of {@code identityId}; the place then counts through the marker. */
        public Future<Void> write(String identityId) {
            return call(store.put(marker(tenant, identityId), new byte[0], "application/octet-stream"))
                    .onComplete(ar -> giveBack());
        }

        public synchronized void giveBack() {
            if (!done) {
                done = true;
                inFlight.decrementAndGet();
            }
        }
    }
}
