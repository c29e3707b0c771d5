package io.photomaker.gateway.identity;

import io.photomaker.common.errors.ErrorType;
import io.photomaker.common.job.IdentityRecord;
import io.photomaker.common.job.IdentityRef;
import io.photomaker.common.model.ModelNames;
import io.photomaker.gateway.http.ApiError;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks the stored identities a job names before it is queued: each must exist, belong to the tenant, be
 * ready and hold embeddings of the job's model. Answers how many ID embeddings they stack together (a weight
 * of 0 takes every stored one).
 */
public final class JobIdentities {
    /** The request field identities are named in. */
    public static final String FIELD = "identity_ids";

    private final IdentityRecords records;

    public JobIdentities(IdentityRecords records) {
        this.records = records;
    }

    /** As {@link #embeddings(String, List, String)} for a photomaker-v1 job. */
    public Future<Integer> embeddings(String tenant, List<IdentityRef> refs) {
        return embeddings(tenant, refs, null);
    }

    /**
     * The number of ID embeddings {@code refs} contribute to a job on {@code model} (null: photomaker-v1); fails
     * 404 {@code identity_not_found}, 409 {@code identity_not_ready} or 400 {@code identity_model_mismatch} for the first
     * identity (in request order) that cannot be used.
     */
    public Future<Integer> embeddings(String tenant, List<IdentityRef> refs, String model) {
        if (refs == null || refs.isEmpty()) {
            return Future.succeededFuture(0);
        }
        List<Future<IdentityRecord>> lookups = new ArrayList<>();
        for (IdentityRef ref : refs) {
            lookups.add(records.owned(tenant, ref.id(), FIELD));
        }
        return Future.join(lookups).transform(done -> {
            int total = 0;
            for (int i = 0; i < refs.size(); i++) {
                Future<IdentityRecord> lookup = lookups.get(i);
                if (lookup.failed()) {
                    return Future.failedFuture(lookup.cause());
                }
                checkModel(lookup.result(), model == null ? ModelNames.V1 : model);
                total += contribution(refs.get(i), lookup.result());
            }
            return Future.succeededFuture(total);
        });
    }

    private static void checkModel(IdentityRecord record, String model) {
        if (!record.modelOrDefault().equals(model)) {
            throw new ApiError(ErrorType.IDENTITY_MODEL_MISMATCH, "identity " + record.id() + " was made for "
                    + record.modelOrDefault() + " and cannot be used by a " + model + " job; create it again with"
                    + " \"model\": \"" + model + "\"", FIELD);
        }
    }

    /** What one ready identity adds to the stack; throws 409 when it is not ready. */
    static int contribution(IdentityRef ref, IdentityRecord record) {
        if (!IdentityRecord.READY.equals(record.status()) || record.embeddings() < 1) {
            String why = IdentityRecord.FAILED.equals(record.status())
                    ? "failed" + (record.error() == null ? "" : " (" + record.error().message() + ")")
                            + "; create it again from other photos"
                    : "still " + record.status() + "; wait until GET /v1/identities/" + record.id() + " says ready";
            throw new ApiError(ErrorType.IDENTITY_NOT_READY, "identity " + record.id() + " is " + why, FIELD);
        }
        return ref.weight() == 0 ? record.embeddings() : ref.weight();
    }
}
