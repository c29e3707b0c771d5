package io.photomaker.worker.run;

/** The job stopped at a step boundary because it was canceled, drained or its partition was revoked. */
public class JobCanceledException extends RuntimeException {
    public JobCanceledException(String jobId) {
        super("job " + jobId + " stopped at a step boundary");
    }
}
