package io.photomaker.worker.run;

import io.photomaker.common.errors.ErrorType;
import io.photomaker.common.job.IdentityRecord;
import io.photomaker.common.job.IdentityRef;
import io.photomaker.common.job.JobFailure;
import io.photomaker.common.json.Json;
import io.photomaker.common.storage.ObjectKeys;
import io.photomaker.common.storage.ObjectStore;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * Stored identities' embeddings in the object store: a small binary file per identity next to its JSON
 * record, little-endian: {@code PMID}, version, ID embedding count and width, then (version 2) face embedding
 * count and width, then the ID embeddings' floats and the face embeddings' floats. Version 1 files (ID
 * embeddings only, written before face models existed) are still read.
 */
public final class IdentityStore {
    private static final int MAGIC = 0x444d4950; // "PMID" read little-endian
    private static final int VERSION_1 = 1;
    private static final int VERSION = 2;

    /**
     * An identity's stored embeddings: the ID embeddings the pipeline stacks and the raw ArcFace embeddings of
     * its photos' faces (empty for identities made without face models).
     */
    public record Embeddings(List<float[]> idEmbeddings, List<float[]> faceEmbeddings) {
        public Embeddings {
            idEmbeddings = List.copyOf(idEmbeddings);
            faceEmbeddings = List.copyOf(faceEmbeddings);
        }
    }

    private final ObjectStore store;

    public IdentityStore(ObjectStore store) {
        this.store = store;
    }

    /** The stacked embeddings for a job's identities: each contributes {@code weight} of its own, cycling. */
    public List<float[]> embeddingsFor(List<IdentityRef> refs) {
        return stackFor(refs, null).idEmbeddings();
    }

    /**
     * The stacked ID embeddings for a job's identities (each contributes {@code weight} of its own, cycling),
     * and every face embedding they hold (each identity's once).
     *
     * @param model the model the worker runs; an identity made for another model fails the job (null: no check)
     */
    public Embeddings stackFor(List<IdentityRef> refs, String model) {
        List<float[]> ids = new ArrayList<>();
        List<float[]> faces = new ArrayList<>();
        if (refs == null) {
            return new Embeddings(ids, faces);
        }
        for (IdentityRef ref : refs) {
            Embeddings own = load(ref.id(), model);
            int take = ref.weight() == 0 ? own.idEmbeddings().size() : ref.weight();
            for (int i = 0; i < take; i++) {
                ids.add(own.idEmbeddings().get(i % own.idEmbeddings().size()));
            }
            faces.addAll(own.faceEmbeddings());
        }
        return new Embeddings(ids, faces);
    }

    Embeddings load(String identityId, String model) {
        IdentityRecord rec = record(identityId);
        if (!IdentityRecord.READY.equals(rec.status()) || rec.embeddings() == 0) {
            throw new JobFailedException(JobFailure.of(ErrorType.IDENTITY_NOT_READY,
                    "identity " + identityId + " is " + rec.status()), null);
        }
        if (model != null && !model.equals(rec.modelOrDefault())) {
            throw new JobFailedException(JobFailure.of(ErrorType.IDENTITY_MODEL_MISMATCH, "identity " + identityId
                    + " holds " + rec.modelOrDefault() + " embeddings; this job runs " + model), null);
        }
        try {
            return decode(store.get(ObjectKeys.identityEmbeddings(identityId)).join());
        } catch (CompletionException e) {
            throw PhotoMakerJobHandler.storageFailure("read identity " + identityId, e);
        }
    }

    public IdentityRecord record(String identityId) {
        try {
            return Json.read(store.get(ObjectKeys.identityRecord(identityId)).join(), IdentityRecord.class);
        } catch (CompletionException e) {
            JobFailedException f = PhotoMakerJobHandler.storageFailure("read identity " + identityId, e);
            if (!f.failure().retryable()) {
                throw new JobFailedException(JobFailure.of(ErrorType.IDENTITY_NOT_FOUND,
                        "identity " + identityId + " does not exist"), e);
            }
            throw f;
        }
    }

    /** A record as read, with the version its conditional replacement must match. */
    public record Stored(IdentityRecord record, String etag) {
    }

    /** The identity's record and its version; fails like {@link #record} when it is gone or unreadable. */
    public Stored stored(String identityId) {
        try {
            ObjectStore.Versioned v = store.getVersioned(ObjectKeys.identityRecord(identityId)).join();
            return new Stored(Json.read(v.bytes(), IdentityRecord.class), v.etag());
        } catch (CompletionException e) {
            JobFailedException f = PhotoMakerJobHandler.storageFailure("read identity " + identityId, e);
            if (!f.failure().retryable()) {
                throw new JobFailedException(JobFailure.of(ErrorType.IDENTITY_NOT_FOUND,
                        "identity " + identityId + " does not exist"), e);
            }
            throw f;
        }
    }

    /**
     * Writes {@code next} over {@code current} only if the stored record is still the version {@code current}
     * was read at: returns the stored result, or null when the record changed or was deleted meanwhile (a
     * DELETE always wins over a worker still encoding).
     */
    public Stored replace(Stored current, IdentityRecord next) {
        String etag = store.replaceIf(ObjectKeys.identityRecord(next.id()), current.etag(), Json.bytes(next),
                "application/json").join();
        return etag == null ? null : new Stored(next, etag);
    }

    /** Deletes everything stored for the identity (record, photos, embeddings). */
    public void deleteAll(String identityId) {
        store.deletePrefix(ObjectKeys.identityPrefix(identityId)).join();
    }

    public void saveRecord(IdentityRecord rec) {
        store.put(ObjectKeys.identityRecord(rec.id()), Json.bytes(rec), "application/json").join();
    }

    public void saveEmbeddings(String identityId, Embeddings embeddings) {
        store.put(ObjectKeys.identityEmbeddings(identityId), encode(embeddings), "application/octet-stream").join();
    }

    static byte[] encode(Embeddings embeddings) {
        List<float[]> ids = embeddings.idEmbeddings();
        List<float[]> faces = embeddings.faceEmbeddings();
        int idDim = width(ids);
        int faceDim = width(faces);
        ByteBuffer b = ByteBuffer.allocate(24 + 4 * (idDim * ids.size() + faceDim * faces.size()))
                .order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).putInt(VERSION).putInt(ids.size()).putInt(idDim).putInt(faces.size()).putInt(faceDim);
        for (float[] e : ids) {
            put(b, e);
        }
        for (float[] e : faces) {
            put(b, e);
        }
        return b.array();
    }

    private static int width(List<float[]> rows) {
        int dim = rows.isEmpty() ? 0 : rows.get(0).length;
        for (float[] e : rows) {
            if (e.length != dim) {
                throw new IllegalArgumentException("embeddings of different sizes: " + e.length + " vs " + dim);
            }
        }
        return dim;
    }

    private static void put(ByteBuffer b, float[] e) {
        for (float v : e) {
            b.putFloat(v);
        }
    }

    static Embeddings decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int version = bytes.length < 16 || b.getInt() != MAGIC ? -1 : b.getInt();
        if (version != VERSION_1 && (version != VERSION || bytes.length < 24)) {
            throw corrupt("stored embeddings are unreadable");
        }
        int count = b.getInt();
        int dim = b.getInt();
        int faceCount = version == VERSION ? b.getInt() : 0;
        int faceDim = version == VERSION ? b.getInt() : 0;
        if (count < 0 || dim < 0 || faceCount < 0 || faceDim < 0
                || ((long) count * dim + (long) faceCount * faceDim) * 4 != bytes.length - (long) b.position()) {
            throw corrupt("stored embeddings have a bad size");
        }
        return new Embeddings(rows(b, count, dim), rows(b, faceCount, faceDim));
    }

    private static List<float[]> rows(ByteBuffer b, int count, int dim) {
        List<float[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            float[] e = new float[dim];
            b.asFloatBuffer().get(e);
            b.position(b.position() + 4 * dim);
            out.add(e);
        }
        return out;
    }

    private static JobFailedException corrupt(String message) {
        return new JobFailedException(JobFailure.of(ErrorType.IDENTITY_CORRUPT, message), null);
    }
}
