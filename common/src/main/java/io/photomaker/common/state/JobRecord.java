package io.photomaker.common.state;

import io.photomaker.common.job.JobFailure;
import io.photomaker.common.job.JobInput;
import io.photomaker.common.job.JobOutput;
import io.photomaker.common.job.JobRequest;
import io.photomaker.common.job.JobStatus;
import io.photomaker.common.job.WorkItemRef;
import java.util.List;

/**
 * The verdict on one job, as written to the compacted {@code photomaker.job-state} topic by the state
 * processor. Immutable; the state machine returns changed copies.
 *
 * @param version number of events applied so far (monotonic; used as the SSE event id)
 * @param expiresAt epoch milliseconds after which the outputs are deleted (0 = not set); set by the
 *                  state processor when the job succeeds
 * @param workItem where the job's latest work item sits in {@code photomaker.jobs} (null until known)
 */
public record JobRecord(
        String id,
        String tenant,
        JobStatus status,
        int attempt,
        int step,
        int total,
        List<JobOutput> outputs,
        JobFailure error,
        boolean cancelRequested,
        boolean dataDeleted,
        JobRequest request,
        List<JobInput> inputs,
        long createdAt,
        long startedAt,
        long finishedAt,
        long updatedAt,
        long deadlineAt,
        long version,
        long expiresAt,
        WorkItemRef workItem) {

    public JobRecord {
        outputs = outputs == null ? List.of() : List.copyOf(outputs);
        inputs = inputs == null ? List.of() : List.copyOf(inputs);
    }

    /** A record without an output expiry, as the state machine creates it. */
    public JobRecord(String id, String tenant, JobStatus status, int attempt, int step, int total,
                     List<JobOutput> outputs, JobFailure error, boolean cancelRequested, boolean dataDeleted,
                     JobRequest request, List<JobInput> inputs, long createdAt, long startedAt, long finishedAt,
                     long updatedAt, long deadlineAt, long version) {
        this(id, tenant, status, attempt, step, total, outputs, error, cancelRequested, dataDeleted, request,
                inputs, createdAt, startedAt, finishedAt, updatedAt, deadlineAt, version, 0, null);
    }

    /** The same verdict with the time its outputs expire; not a new version (part of the same transition). */
    public JobRecord withExpiresAt(long at) {
        return new JobRecord(id, tenant, status, attempt, step, total, outputs, error, cancelRequested,
                dataDeleted, request, inputs, createdAt, startedAt, finishedAt, updatedAt, deadlineAt, version, at,
                workItem);
    }

    JobRecord with(JobStatus newStatus, long at) {
        return new JobRecord(id, tenant, newStatus, attempt, step, total, outputs, error, cancelRequested,
                dataDeleted, request, inputs, createdAt, startedAt,
                newStatus.isTerminal() ? at : finishedAt, at, deadlineAt, version + 1, expiresAt, workItem);
    }

    JobRecord withAttempt(int newAttempt, int newTotal, long at) {
        return new JobRecord(id, tenant, JobStatus.RUNNING, newAttempt, 0, newTotal, outputs, error,
                cancelRequested, dataDeleted, request, inputs, createdAt, at, finishedAt, at, deadlineAt,
                version + 1, expiresAt, workItem);
    }

    JobRecord withProgress(int newStep, int newTotal, long at) {
        return new JobRecord(id, tenant, status, attempt, newStep, newTotal, outputs, error, cancelRequested,
                dataDeleted, request, inputs, createdAt, startedAt, finishedAt, at, deadlineAt, version + 1,
                expiresAt, workItem);
    }

    JobRecord withOutputs(List<JobOutput> newOutputs, long at) {
        return new JobRecord(id, tenant, JobStatus.SUCCEEDED, attempt, total, total, newOutputs, null,
                cancelRequested, dataDeleted, request, inputs, createdAt, startedAt, at, at, deadlineAt,
                version + 1, expiresAt, workItem);
    }

    JobRecord withError(JobStatus newStatus, JobFailure failure, long at) {
        return withError(newStatus, attempt, failure, at);
    }

    JobRecord withError(JobStatus newStatus, int newAttempt, JobFailure failure, long at) {
        return new JobRecord(id, tenant, newStatus, newAttempt, step, total, outputs, failure, cancelRequested,
                dataDeleted, request, inputs, createdAt, startedAt,
                newStatus.isTerminal() ? at : finishedAt, at, deadlineAt, version + 1, expiresAt, workItem);
    }

    JobRecord withCancelRequested(long at) {
        return new JobRecord(id, tenant, status, attempt, step, total, outputs, error, true, dataDeleted,
                request, inputs, createdAt, startedAt, finishedAt, at, deadlineAt, version + 1, expiresAt,
                workItem);
    }

    JobRecord withDataDeleted(long at) {
        return new JobRecord(id, tenant, status, attempt, step, total, List.of(), error, cancelRequested, true,
                request, List.of(), createdAt, startedAt, finishedAt, at, deadlineAt, version + 1, expiresAt,
                workItem);
    }

    JobRecord withWorkItem(WorkItemRef ref, long at) {
        return new JobRecord(id, tenant, status, attempt, step, total, outputs, error, cancelRequested, dataDeleted,
                request, inputs, createdAt, startedAt, finishedAt, at, deadlineAt, version + 1, expiresAt, ref);
    }
}
