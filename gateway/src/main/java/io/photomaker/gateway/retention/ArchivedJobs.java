package io.photomaker.gateway.retention;

import io.photomaker.common.state.JobRecord;
import io.vertx.core.Future;
import java.util.Optional;

/**
 * Where GETs look for a job that has left the live state view (archived to the object store by retention).
 * The composition root gives owner reads an {@code ArchiveReader}; {@link #NONE} finds nothing.
 */
@FunctionalInterface
public interface ArchivedJobs {
    ArchivedJobs NONE = jobId -> Future.succeededFuture(Optional.empty());

    /** The archived record of {@code jobId}, or empty; must not block the calling event loop. */
    Future<Optional<JobRecord>> find(String jobId);
}
