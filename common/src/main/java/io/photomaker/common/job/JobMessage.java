package io.photomaker.common.job;

import java.util.List;

/**
 * The work item on {@code photomaker.jobs}: everything a worker needs to run one job.
 *
 * @param jobId job id (also the record key)
 * @param tenant owner of the job
 * @param request generation parameters with defaults applied
 * @param inputs uploaded ID photos, in stacking order
 * @param submittedAt epoch milliseconds when the gateway accepted the job
 * @param deadlineAt epoch milliseconds after which the job must not start (0 = none)
 * @param attempt 1 for the first delivery; a retry republishes with attempt + 1
 * @param limits the photo limits the gateway accepted the job under (defaults for items without them)
 */
public record JobMessage(String jobId, String tenant, JobRequest request, List<JobInput> inputs,
                         long submittedAt, long deadlineAt, int attempt, InputLimits limits) {
    public JobMessage {
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
        limits = InputLimits.orDefaults(limits);
    }

    /** A work item under the default photo limits. */
    public JobMessage(String jobId, String tenant, JobRequest request, List<JobInput> inputs, long submittedAt,
                      long deadlineAt, int attempt) {
        this(jobId, tenant, request, inputs, submittedAt, deadlineAt, attempt, InputLimits.DEFAULTS);
    }

    public JobMessage nextAttempt() {
        return new JobMessage(jobId, tenant, request, inputs, submittedAt, deadlineAt, attempt + 1, limits);
    }

    public boolean expiredAt(long nowMillis) {
        return deadlineAt > 0 && nowMillis > deadlineAt;
    }
}
