package io.photomaker.worker.run;

import io.photomaker.common.job.JobMessage;
import io.photomaker.common.job.JobOutput;
import java.util.List;

/**
 * Does the work of one job: fetches its inputs, generates, stores the outputs under deterministic
 * keys and returns them. Throws {@link JobFailedException} for classified failures and
 * {@link JobCanceledException} when it stopped because {@link JobContext#isCancelled()} said so.
 */
@FunctionalInterface
public interface JobHandler {
    List<JobOutput> handle(JobMessage job, JobContext context);
}
