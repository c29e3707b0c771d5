package io.photomaker.gateway.retention;

import io.photomaker.common.json.Json;
import io.photomaker.common.state.JobRecord;
import io.photomaker.common.storage.MissingObjects;
import io.photomaker.common.storage.ObjectKeys;
import io.photomaker.common.storage.ObjectStore;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Reads job records that were archived to the object store after PM_JOB_RETENTION_SECONDS and removed
 * from the state topic, so GET still answers for old jobs.
 */
public final class ArchiveReader {
    private final ObjectStore store;

    public ArchiveReader(ObjectStore store) {
        this.store = store;
    }

    /** The archived record, or empty when the job was never archived; fails when the store cannot be read. */
    public CompletableFuture<Optional<JobRecord>> find(String jobId) {
        return store.get(ObjectKeys.archivedJob(jobId))
                .thenApply(bytes -> Optional.of(Json.read(bytes, JobRecord.class)))
                .exceptionallyCompose(e -> MissingObjects.isMissing(e)
                        ? CompletableFuture.completedFuture(Optional.empty())
                        : CompletableFuture.failedFuture(e));
    }
}
