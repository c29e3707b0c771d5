package io.photomaker.common.event;

import io.photomaker.common.job.JobFailure;
import io.photomaker.common.job.JobMessage;
import io.photomaker.common.job.JobOutput;
import io.photomaker.common.job.WorkItemRef;
import java.util.List;
import java.util.UUID;

/**
 * One fact about a job, appended by the gateway or a worker and keyed by job id. Only the state
 * processor turns events into verdicts; see {@code io.photomaker.common.state.JobStateMachine}.
 *
 * @param eventId unique id, used to drop duplicate deliveries
 * @param jobId the job
 * @param type what happened
 * @param at epoch milliseconds
 * @param attempt the attempt this event belongs to (0 for client-originated events)
 * @param workerId the worker that produced it, if any
 * @param step current denoising step (progress)
 * @param total total denoising steps (progress)
 * @param outputs generated images (succeeded)
 * @param failure why it failed (failed, retry_scheduled)
 * @param job the full work item (submitted)
 * @param workItem where the work item sits in the queue (enqueued)
 */
public record JobEvent(String eventId, String jobId, EventType type, long at, int attempt, String workerId,
                       int step, int total, List<JobOutput> outputs, JobFailure failure, JobMessage job,
                       WorkItemRef workItem) {

    /** An event without a work item reference (every type but {@link EventType#ENQUEUED}). */
    public JobEvent(String eventId, String jobId, EventType type, long at, int attempt, String workerId, int step,
                    int total, List<JobOutput> outputs, JobFailure failure, JobMessage job) {
        this(eventId, jobId, type, at, attempt, workerId, step, total, outputs, failure, job, null);
    }

    private static JobEvent of(String jobId, EventType type, int attempt, String workerId, int step, int total,
                               List<JobOutput> outputs, JobFailure failure, JobMessage job) {
        return new JobEvent(UUID.randomUUID().toString(), jobId, type, System.currentTimeMillis(), attempt,
                workerId, step, total, outputs, failure, job, null);
    }

    public static JobEvent submitted(JobMessage job) {
        return of(job.jobId(), EventType.SUBMITTED, 0, null, 0, 0, null, null, job);
    }

    /** The submission of a work item already acknowledged at {@code workItem}. */
    public static JobEvent submitted(JobMessage job, WorkItemRef workItem) {
        return new JobEvent(UUID.randomUUID().toString(), job.jobId(), EventType.SUBMITTED,
                System.currentTimeMillis(), 0, null, 0, 0, null, null, job, workItem);
    }

    /** Carries the work item too, so the verdict is right even if this event overtakes the submission. */
    public static JobEvent started(JobMessage job, int attempt, String workerId, int total) {
        return of(job.jobId(), EventType.STARTED, attempt, workerId, 0, total, null, null, job);
    }

    public static JobEvent progress(String jobId, int attempt, String workerId, int step, int total) {
        return of(jobId, EventType.PROGRESS, attempt, workerId, step, total, null, null, null);
    }

    public static JobEvent succeeded(String jobId, int attempt, String workerId, List<JobOutput> outputs) {
        return of(jobId, EventType.SUCCEEDED, attempt, workerId, 0, 0, List.copyOf(outputs), null, null);
    }

    public static JobEvent failed(String jobId, int attempt, String workerId, JobFailure failure) {
        return of(jobId, EventType.FAILED, attempt, workerId, 0, 0, null, failure, null);
    }

    public static JobEvent retryScheduled(String jobId, int attempt, String workerId, JobFailure failure) {
        return of(jobId, EventType.RETRY_SCHEDULED, attempt, workerId, 0, 0, null, failure, null);
    }

    public static JobEvent cancelRequested(String jobId) {
        return of(jobId, EventType.CANCEL_REQUESTED, 0, null, 0, 0, null, null, null);
    }

    public static JobEvent canceled(String jobId, int attempt, String workerId) {
        return of(jobId, EventType.CANCELED, attempt, workerId, 0, 0, null, null, null);
    }

    public static JobEvent expired(String jobId, int attempt, String workerId) {
        return of(jobId, EventType.EXPIRED, attempt, workerId, 0, 0, null, null, null);
    }

    public static JobEvent dataDeleted(String jobId) {
        return of(jobId, EventType.DATA_DELETED, 0, null, 0, 0, null, null, null);
    }

    public static JobEvent archived(String jobId) {
        return of(jobId, EventType.ARCHIVED, 0, null, 0, 0, null, null, null);
    }

    /** The work item of {@code jobId} was acknowledged at {@code workItem}; sent after the acknowledgement. */
    public static JobEvent enqueued(String jobId, WorkItemRef workItem, String workerId) {
        return new JobEvent(UUID.randomUUID().toString(), jobId, EventType.ENQUEUED, System.currentTimeMillis(), 0,
                workerId, 0, 0, null, null, null, workItem);
    }
}
