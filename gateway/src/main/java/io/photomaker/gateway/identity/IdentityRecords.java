package io.photomaker.gateway.identity;

import io.photomaker.common.errors.ErrorType;
import io.photomaker.common.job.IdentityRecord;
import io.photomaker.common.job.JobIds;
import io.photomaker.common.json.Json;
import io.photomaker.common.storage.ObjectKeys;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.gateway.http.ApiError;
import io.photomaker.gateway.retention.MissingObjects;
import io.photomaker.gateway.submit.RequestParser;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Stored identities as the gateway sees them: the JSON record under {@code identities/<id>/identity.json},
 * read and written without blocking, and owned by one tenant (another tenant's identity reads as absent).
 */
public final class IdentityRecords {
    private final Vertx vertx;
    private final ObjectStore store;

    public IdentityRecords(Vertx vertx, ObjectStore store) {
        this.vertx = vertx;
        this.store = store;
    }

    /** Whether {@code id} has the shape of an identity id this system made (anything else is never looked up). */
    public static boolean isIdentityId(String id) {
        return JobIds.isWellFormed(id) && id.startsWith("idn_");
    }

    /** The record of {@code id}, or empty when there is none; fails 503 when the store cannot be read. */
    public Future<Optional<IdentityRecord>> find(String id) {
        if (!isIdentityId(id)) {
            return Future.succeededFuture(Optional.empty());
        }
        return call(() -> store.get(ObjectKeys.identityRecord(id))
                .thenApply(bytes -> Optional.of(Json.read(bytes, IdentityRecord.class)))
                .exceptionallyCompose(e -> MissingObjects.isMissing(e)
                        ? CompletableFuture.completedFuture(Optional.empty())
                        : CompletableFuture.failedFuture(e)));
    }

    /** The record of {@code id} if {@code tenant} owns it; otherwise fails 404 {@code identity_not_found}. */
    public Future<IdentityRecord> owned(String tenant, String id, String field) {
        return find(id).map(found -> found.filter(r -> tenant.equals(r.tenant()))
                .orElseThrow(() -> notFound(id, field)));
    }

    /** Writes {@code record} as the identity's JSON record. */
    public Future<Void> save(IdentityRecord record) {
        return call(() -> store.put(ObjectKeys.identityRecord(record.id()), Json.bytes(record), "application/json"));
    }

    /**
     * Deletes everything stored for {@code id}: the record first, so a worker still encoding the identity fails
     * its conditional write and cleans up after itself, then photos and embeddings. Whatever the worker wrote
     * before the record went is listed, and deleted, by the second step.
     */
    public Future<Integer> deleteAll(String id) {
        return call(() -> store.delete(ObjectKeys.identityRecord(id))
                .thenCompose(v -> store.deletePrefix(ObjectKeys.identityPrefix(id))));
    }

    static ApiError notFound(String id, String field) {
        String shown = id == null ? "" : RequestParser.printable(id);
        return new ApiError(ErrorType.IDENTITY_NOT_FOUND, "identity '" + shown + "' was not found", field);
    }

    private <T> Future<T> call(Supplier<CompletableFuture<T>> op) {
        var ctx = vertx.getOrCreateContext();
        return Future.fromCompletionStage(op.get(), ctx).recover(e -> Future.failedFuture(
                e instanceof ApiError ? e : ApiError.retryAfter(ErrorType.STORAGE_UNAVAILABLE,
                        "the identity store is not reachable right now; try again", 5)));
    }
}
