package io.photomaker.gateway.jobs;

import io.photomaker.common.job.JobIds;
import io.photomaker.common.state.JobRecord;
import io.photomaker.common.state.JobStateView;
import io.photomaker.gateway.http.ApiError;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Optional;

/**
 * Finds a tenant's job for a request. A job that another replica accepted a moment ago may not be in this
 * replica's view yet: for ids created within {@code recentWindow} the lookup waits up to {@code recentWait}
 * before answering 404. Jobs of other tenants are reported exactly like unknown ones.
 */
public final class JobLookup {
    private final JobStateView view;
    private final JobWatcher watcher;
    private final Duration recentWindow;
    private final Duration recentWait;
    private volatile ArchivedJobs archive = ArchivedJobs.NONE;

    public JobLookup(JobStateView view, JobWatcher watcher, Duration recentWindow, Duration recentWait) {
        this.view = view;
        this.watcher = watcher;
        this.recentWindow = recentWindow;
        this.recentWait = recentWait;
    }

    /** Where jobs that left the view are found (mounted by retention). */
    public void archive(ArchivedJobs reader) {
        this.archive = reader == null ? ArchivedJobs.NONE : reader;
    }

    /** The job, or a failed future with a 404 {@link ApiError}. */
    public Future<JobRecord> find(String tenant, String jobId) {
        JobRecord now = view.get(jobId).orElse(null);
        if (now != null) {
            return owned(tenant, jobId, now);
        }
        if (isRecent(jobId)) {
            return watcher.appeared(jobId, recentWait)
                    .compose(r -> r != null ? owned(tenant, jobId, r) : fromArchive(tenant, jobId));
        }
        return fromArchive(tenant, jobId);
    }

    /** Whether {@code jobId} was created so recently that its record may still be on its way. */
    public boolean isRecent(String jobId) {
        long created = JobIds.createdAt(jobId);
        if (created < 0) {
            return false;
        }
        long age = System.currentTimeMillis() - created;
        // A little negative age is clock skew between replicas, not a future id.
        return age > -5_000 && age <= recentWindow.toMillis();
    }

    private Future<JobRecord> fromArchive(String tenant, String jobId) {
        if (!JobIds.isWellFormed(jobId)) {
            return Future.failedFuture(notFound(jobId));
        }
        return archive.find(jobId).compose((Optional<JobRecord> r) -> r.isPresent()
                ? owned(tenant, jobId, r.get()) : Future.failedFuture(notFound(jobId)));
    }

    private static Future<JobRecord> owned(String tenant, String jobId, JobRecord r) {
        return tenant.equals(r.tenant()) ? Future.succeededFuture(r) : Future.failedFuture(notFound(jobId));
    }

    public static ApiError notFound(String jobId) {
        return new ApiError(404, "not_found", "job " + jobId + " was not found");
    }
}
