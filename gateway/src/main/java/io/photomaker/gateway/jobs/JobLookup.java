package io.photomaker.gateway.jobs;

import io.photomaker.common.errors.ErrorType;
import io.photomaker.common.state.JobRecord;
import io.photomaker.gateway.cluster.JobReader;
import io.photomaker.gateway.http.ApiError;
import io.vertx.core.Future;

/**
 * Resolves a job for a tenant: the record from wherever its state partition lives ({@link JobReader}: the
 * owner, which also waits briefly for a just-created id and falls back to the archive, or a standby).
 * Jobs of other tenants are reported exactly like unknown ones; when no gateway can answer, 503.
 */
public final class JobLookup {
    private final JobReader reader;

    public JobLookup(JobReader reader) {
        this.reader = reader;
    }

    /** The job, or a failed future with a 404 (or 503) {@link ApiError}. */
    public Future<JobRecord> find(String tenant, String jobId) {
        return reader.find(jobId).compose(found -> found.isPresent() && tenant.equals(found.get().tenant())
                ? Future.succeededFuture(found.get()) : Future.failedFuture(notFound(jobId)));
    }

    public static ApiError notFound(String jobId) {
        return new ApiError(ErrorType.NOT_FOUND, "job " + jobId + " was not found");
    }
}
