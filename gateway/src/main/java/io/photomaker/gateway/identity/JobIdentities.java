package io.photomaker.gateway.identity;

import io.photomaker.common.job.IdentityRecord;
import io.photomaker.common.job.IdentityRef;
import io.photomaker.gateway.http.ApiError;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks the stored identities a job names before it is queued: each must exist, belong to the tenant and
 * be ready. Answers how many ID embeddings they stack together (a weight of 0 takes every stored one).
 */
public final class JobIdentities {
    /** Error type for an identity whose embeddings are not computed (pending) or could not be (failed). */
    public static final String NOT_READY = "identity_not_ready";
    /** The request field identities are named in. */
    public static final String FIELD = "identity_ids";

    private final IdentityRecords records;

    public JobIdentities(IdentityRecords records) {
        this.records = records;
    }

    /**
     * The number of ID embeddings {@code refs} contribute; fails 404 {@code identity_not_found} or 409
     * {@value #NOT_READY} for the first identity (in request order) that cannot be used.
     */
    public Future<Integer> embeddings(String tenant, List<IdentityRef> refs) {
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
                total += contribution(refs.get(i), lookup.result());
            }
            return Future.succeededFuture(total);
        });
    }

    /** What one ready identity adds to the stack; throws 409 when it is not ready. */
    static int contribution(IdentityRef ref, IdentityRecord record) {
        if (!IdentityRecord.READY.equals(record.status()) || record.embeddings() < 1) {
            String why = IdentityRecord.FAILED.equals(record.status())
                    ? "failed" + (record.error() == null ? "" : " (" + record.error().message() + ")")
                            + "; create it again from other photos"
                    : "still " + record.status() + "; wait until GET /v1/identities/" + record.id() + " says ready";
            throw new ApiError(409, NOT_READY, "identity " + record.id() + " is " + why, FIELD);
        }
        return ref.weight() == 0 ? record.embeddings() : ref.weight();
    }
}
