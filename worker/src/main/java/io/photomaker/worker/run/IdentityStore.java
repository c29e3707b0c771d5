package io.photomaker.worker.run;

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
 * Stored identities' ID embeddings in the object store: a small binary file per identity
 * ({@code PMID}, version, count, dimension, then little-endian floats) next to its JSON record.
 */
public final class IdentityStore {
    private static final int MAGIC = 0x444d4950; // "PMID" read little-endian
    private static final int VERSION = 1;

    private final ObjectStore store;

    public IdentityStore(ObjectStore store) {
        this.store = store;
    }

    /** The stacked embeddings for a job's identities: each contributes {@code weight} of its own, cycling. */
    public List<float[]> embeddingsFor(List<IdentityRef> refs) {
        List<float[]> out = new ArrayList<>();
        if (refs == null) {
            return out;
        }
        for (IdentityRef ref : refs) {
            List<float[]> own = load(ref.id());
            int take = ref.weight() == 0 ? own.size() : ref.weight();
            for (int i = 0; i < take; i++) {
                out.add(own.get(i % own.size()));
            }
        }
        return out;
    }

    List<float[]> load(String identityId) {
        IdentityRecord rec = record(identityId);
        if (!IdentityRecord.READY.equals(rec.status()) || rec.embeddings() == 0) {
            throw new JobFailedException(JobFailure.permanent("identity_not_ready",
                    "identity " + identityId + " is " + rec.status()), null);
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
                throw new JobFailedException(JobFailure.permanent("identity_not_found",
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
                throw new JobFailedException(JobFailure.permanent("identity_not_found",
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

    public void saveEmbeddings(String identityId, List<float[]> embeddings) {
        store.put(ObjectKeys.identityEmbeddings(identityId), encode(embeddings), "application/octet-stream").join();
    }

    static byte[] encode(List<float[]> embeddings) {
        int dim = embeddings.isEmpty() ? 0 : embeddings.get(0).length;
        ByteBuffer b = ByteBuffer.allocate(16 + 4 * dim * embeddings.size()).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).putInt(VERSION).putInt(embeddings.size()).putInt(dim);
        for (float[] e : embeddings) {
            if (e.length != dim) {
                throw new IllegalArgumentException("embeddings of different sizes: " + e.length + " vs " + dim);
            }
            for (float v : e) {
                b.putFloat(v);
            }
        }
        return b.array();
    }

    static List<float[]> decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 16 || b.getInt() != MAGIC || b.getInt() != VERSION) {
            throw new JobFailedException(JobFailure.permanent("identity_corrupt", "stored embeddings are unreadable"), null);
        }
        int count = b.getInt();
        int dim = b.getInt();
        if (count < 0 || dim < 0 || (long) count * dim * 4 != bytes.length - 16L) {
            throw new JobFailedException(JobFailure.permanent("identity_corrupt", "stored embeddings have a bad size"), null);
        }
        List<float[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            float[] e = new float[dim];
            b.asFloatBuffer().get(e);
            b.position(b.position() + 4 * dim);
            out.add(e);
        }
        return out;
    }
}
