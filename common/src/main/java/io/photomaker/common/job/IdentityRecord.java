package io.photomaker.common.job;

import java.util.List;

/**
 * A stored identity: who owns it, whether its ID embeddings are ready, and where its data lives.
 * Kept as JSON next to the embeddings in the object store ({@code identities/<id>/identity.json}).
 *
 * @param status {@code pending} (a worker is computing), {@code ready} or {@code failed}
 * @param photoKeys the uploaded photos, until a worker deletes them (unless keepPhotos)
 * @param embeddings number of stored ID embeddings (one per usable photo)
 * @param model the model whose embeddings these are ({@code photomaker-v1} | {@code photomaker-v2});
 *              null in records written before models existed, meaning photomaker-v1
 * @param limits the photo limits the gateway accepted the photos under
 * @param attempts how many times a worker has started computing the embeddings
 */
public record IdentityRecord(String id, String tenant, String name, String status, List<String> photoKeys,
                             boolean keepPhotos, int embeddings, JobFailure error, long createdAt, long updatedAt,
                             String model, InputLimits limits, int attempts) {
    public static final String PENDING = "pending";
    public static final String READY = "ready";
    public static final String FAILED = "failed";

    public IdentityRecord {
        photoKeys = photoKeys == null ? List.of() : List.copyOf(photoKeys);
        limits = InputLimits.orDefaults(limits);
    }

    /** A record of a photomaker-v1 identity (the model of records written before models existed). */
    public IdentityRecord(String id, String tenant, String name, String status, List<String> photoKeys,
                          boolean keepPhotos, int embeddings, JobFailure error, long createdAt, long updatedAt) {
        this(id, tenant, name, status, photoKeys, keepPhotos, embeddings, error, createdAt, updatedAt, null);
    }

    /** A record of {@code model} under the default photo limits, not yet started. */
    public IdentityRecord(String id, String tenant, String name, String status, List<String> photoKeys,
                          boolean keepPhotos, int embeddings, JobFailure error, long createdAt, long updatedAt,
                          String model) {
        this(id, tenant, name, status, photoKeys, keepPhotos, embeddings, error, createdAt, updatedAt, model,
                InputLimits.DEFAULTS, 0);
    }

    /** The model whose embeddings this identity holds (photomaker-v1 when the record names none). */
    public String modelOrDefault() {
        return model == null ? io.photomaker.common.model.ModelNames.V1 : model;
    }

    public IdentityRecord ready(int count, List<String> remainingPhotos, long at) {
        return new IdentityRecord(id, tenant, name, READY, remainingPhotos, keepPhotos, count, null, createdAt, at,
                model, limits, attempts);
    }

    /** Failed for good; its photos are deleted with this record, so it names none. */
    public IdentityRecord failed(JobFailure failure, long at) {
        return new IdentityRecord(id, tenant, name, FAILED, List.of(), keepPhotos, 0, failure, createdAt, at, model,
                limits, attempts);
    }

    /** This record with one more started attempt. */
    public IdentityRecord started(long at) {
        return new IdentityRecord(id, tenant, name, status, photoKeys, keepPhotos, embeddings, error, createdAt, at,
                model, limits, attempts + 1);
    }
}
