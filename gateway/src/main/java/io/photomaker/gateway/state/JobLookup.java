package io.photomaker.gateway.state;

import io.photomaker.common.job.JobIds;
import io.photomaker.common.state.JobRecord;
import io.photomaker.common.state.JobStateView;
import io.photomaker.gateway.http.ApiError;
import io.photomaker.gateway.retention.ArchiveReader;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Finds a tenant's job for the lifecycle endpoints: first in the job-state view, then, for a job created
 * moments ago whose first verdict is still on its way, by waiting briefly for it, and finally in the
 * archive. Another tenant's job is reported exactly like a missing one.
 */
public final class JobLookup {
    /** Jobs younger than this may not have a verdict yet and are waited for. */
    private static final long YOUNG_MS = 60_000;

    private final JobStateView view;
    private final ArchiveReader archive;
    private final Duration waitForNew;

    /** {@code archive} may be null when no object store is configured. */
    public JobLookup(JobStateView view, ArchiveReader archive, Duration waitForNew) {
        this.view = view;
        this.archive = archive;
        this.waitForNew = waitForNew;
    }

    /** The job, or a failure with an {@link ApiError} 404 ({@code job_not_found}). */
    public CompletableFuture<JobRecord> find(String tenant, String jobId) {
        Optional<JobRecord> now = view.get(jobId);
        if (now.isPresent()) {
            return owned(tenant, jobId, now.get());
        }
        long created = JobIds.createdAt(jobId);
        if (created > 0 && System.currentTimeMillis() - created < YOUNG_MS) {
            return view.awaitRecord(jobId).orTimeout(waitForNew.toMillis(), TimeUnit.MILLISECONDS)
                    .exceptionallyCompose(e -> e instanceof TimeoutException
                            || e.getCause() instanceof TimeoutException
                            ? CompletableFuture.failedFuture(notFound(jobId)) : CompletableFuture.failedFuture(e))
                    .thenCompose(r -> owned(tenant, jobId, r));
        }
        if (archive == null) {
            return CompletableFuture.failedFuture(notFound(jobId));
        }
        return archive.find(jobId).thenCompose(r -> r.isPresent() ? owned(tenant, jobId, r.get())
                : CompletableFuture.failedFuture(notFound(jobId)));
    }

    private static CompletableFuture<JobRecord> owned(String tenant, String jobId, JobRecord r) {
        return tenant != null && tenant.equals(r.tenant()) ? CompletableFuture.completedFuture(r)
                : CompletableFuture.failedFuture(notFound(jobId));
    }

    static ApiError notFound(String jobId) {
        return new ApiError(404, "job_not_found", "job " + jobId + " was not found");
    }
}
