package io.photomaker.worker.run;

import io.photomaker.common.job.JobFailure;

/** A job attempt failed for a known reason; {@link JobFailure#retryable()} decides what happens next. */
public class JobFailedException extends RuntimeException {
    private final JobFailure failure;

    public JobFailedException(JobFailure failure, Throwable cause) {
        super(failure.type() + ": " + failure.message(), cause);
        this.failure = failure;
    }

    public JobFailure failure() {
        return failure;
    }
}
