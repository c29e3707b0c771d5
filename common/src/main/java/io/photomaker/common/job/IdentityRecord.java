package io.photomaker.common.job;

import java.util.List;

/**
 * A stored identity: who owns it, whether its ID embeddings are ready, and where its data lives.
 * Kept as JSON next to the embeddings in the object store ({@code identities/<id>/identity.json}).
 *
 * @param status {@code pending} (a worker is computing), {@code ready} or {@code failed}
 * @param photoKeys the uploaded photos, until a worker deletes them (unless keepPhotos)
 * @param embeddings number of stored ID embeddings (one per usable photo)
 */
public record IdentityRecord(String id, String tenant, String name, String status, List<String> photoKeys,
                             boolean keepPhotos, int embeddings, JobFailure error, long createdAt, long updatedAt) {
    public static final String PENDING = "pending";
    public static final String READY = "ready";
    public static final String FAILED = "failed";

    public IdentityRecord {
        photoKeys = photoKeys == null ? List.of() : List.copyOf(photoKeys);
    }

    public IdentityRecord ready(int count, List<String> remainingPhotos, long at) {
        return new IdentityRecord(id, tenant, name, READY, remainingPhotos, keepPhotos, count, null, createdAt, at);
    }

    public IdentityRecord failed(JobFailure failure, long at) {
        return new IdentityRecord(id, tenant, name, FAILED, photoKeys, keepPhotos, 0, failure, createdAt, at);
    }
}
