package io.photomaker.common.state;

import io.photomaker.common.event.EventType;
import io.photomaker.common.event.JobEvent;
import io.photomaker.common.job.JobMessage;
import io.photomaker.common.job.JobStatus;
import io.photomaker.common.job.WorkItemRef;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The job lifecycle as data: which event moves which state where. Pure and deterministic, so every
 * process applying the same per-job event order reaches the same verdict. Events that do not fit the
 * table, or that belong to an older attempt than the one running (or to an attempt that already ended
 * in a retry), are rejected with a reason and change nothing; duplicates are accepted and change
 * nothing; terminal states accept nothing but data deletion, archiving and (changing nothing) a late
 * report of where a work item was queued. A retry of a job whose
 * cancel was requested cancels it instead of queueing it again.
 */
public final class JobStateMachine {
    private static final Map<JobStatus, Map<EventType, JobStatus>> TABLE = new EnumMap<>(JobStatus.class);

    static {
        allow(JobStatus.QUEUED, EventType.STARTED, JobStatus.RUNNING);
        allow(JobStatus.QUEUED, EventType.CANCEL_REQUESTED, JobStatus.CANCELED);
        allow(JobStatus.QUEUED, EventType.CANCELED, JobStatus.CANCELED);
        allow(JobStatus.QUEUED, EventType.EXPIRED, JobStatus.EXPIRED);
        allow(JobStatus.QUEUED, EventType.FAILED, JobStatus.FAILED);
        allow(JobStatus.QUEUED, EventType.RETRY_SCHEDULED, JobStatus.QUEUED);
        allow(JobStatus.QUEUED, EventType.DATA_DELETED, JobStatus.QUEUED);
        allow(JobStatus.RUNNING, EventType.STARTED, JobStatus.RUNNING);
        allow(JobStatus.RUNNING, EventType.PROGRESS, JobStatus.RUNNING);
        allow(JobStatus.RUNNING, EventType.SUCCEEDED, JobStatus.SUCCEEDED);
        allow(JobStatus.RUNNING, EventType.FAILED, JobStatus.FAILED);
        allow(JobStatus.RUNNING, EventType.RETRY_SCHEDULED, JobStatus.QUEUED);
        allow(JobStatus.RUNNING, EventType.CANCEL_REQUESTED, JobStatus.RUNNING);
        allow(JobStatus.RUNNING, EventType.CANCELED, JobStatus.CANCELED);
        allow(JobStatus.RUNNING, EventType.DATA_DELETED, JobStatus.RUNNING);
        allow(JobStatus.QUEUED, EventType.ENQUEUED, JobStatus.QUEUED);
        allow(JobStatus.RUNNING, EventType.ENQUEUED, JobStatus.RUNNING);
        for (JobStatus terminal : JobStatus.values()) {
            if (terminal.isTerminal()) {
                allow(terminal, EventType.DATA_DELETED, terminal);
                allow(terminal, EventType.ARCHIVED, terminal);
                // A work item's place may be reported after the job ended; it no longer matters.
                allow(terminal, EventType.ENQUEUED, terminal);
            }
        }
    }

    private JobStateMachine() {
    }

    private static void allow(JobStatus from, EventType on, JobStatus to) {
        TABLE.computeIfAbsent(from, k -> new EnumMap<>(EventType.class)).put(on, to);
    }

    /** The state {@code event} leads to from {@code from}, or empty when the table has no such move. */
    public static Optional<JobStatus> target(JobStatus from, EventType event) {
        return Optional.ofNullable(TABLE.getOrDefault(from, Map.of()).get(event));
    }

    /** Applies {@code event} to {@code current} (null when the job is unknown). */
    public static Decision apply(JobRecord current, JobEvent event) {
        if (current == null) {
            if (event.job() == null) {
                return Decision.reject(null, "no job " + event.jobId() + " for " + event.type().wireName());
            }
            JobRecord queued = created(event.job(), event.at(), event.workItem());
            return event.type() == EventType.SUBMITTED ? Decision.accept(queued) : apply(queued, event);
        }
        if (event.type() == EventType.SUBMITTED) {
            // A worker's start overtook the submission: only the work item's place may be news.
            return Decision.accept(enqueued(current, event));
        }
        Optional<JobStatus> to = target(current.status(), event.type());
        if (to.isEmpty()) {
            return Decision.reject(current, event.type().wireName() + " is not allowed in state "
                    + current.status().wireName());
        }
        if (isWorkerEvent(event.type()) && event.attempt() < current.attempt()) {
            return Decision.reject(current, "stale " + event.type().wireName() + " from attempt " + event.attempt()
                    + "; attempt " + current.attempt() + " is current");
        }
        if (endedByRetry(current, event)) {
            return Decision.reject(current, "stale " + event.type().wireName() + " from attempt " + event.attempt()
                    + ", which already ended in a retry");
        }
        return Decision.accept(transition(current, event, to.get()));
    }

    /**
     * A queued job with a non-zero attempt got there through a retry, so that attempt is over: a late or
     * duplicated event that runs or finishes it must not bring the job back (expiry and cancel may).
     */
    private static boolean endedByRetry(JobRecord cur, JobEvent e) {
        if (cur.status() != JobStatus.QUEUED || cur.attempt() == 0 || e.attempt() != cur.attempt()) {
            return false;
        }
        return switch (e.type()) {
            case STARTED, PROGRESS, SUCCEEDED, FAILED, RETRY_SCHEDULED -> true;
            default -> false;
        };
    }

    private static boolean isWorkerEvent(EventType type) {
        return switch (type) {
            case STARTED, PROGRESS, SUCCEEDED, FAILED, RETRY_SCHEDULED, CANCELED, EXPIRED -> true;
            default -> false;
        };
    }

    private static JobRecord transition(JobRecord cur, JobEvent e, JobStatus to) {
        long at = e.at();
        return switch (e.type()) {
            case STARTED -> e.attempt() == cur.attempt() && cur.status() == JobStatus.RUNNING
                    ? cur : cur.withAttempt(e.attempt(), e.total(), at);
            case PROGRESS -> e.attempt() != cur.attempt() || e.step() <= cur.step()
                    ? cur : cur.withProgress(e.step(), e.total(), at);
            case SUCCEEDED -> cur.withOutputs(e.outputs(), at);
            case FAILED -> cur.withError(to, e.failure(), at);
            // The attempt is over; a cancel asked for while it ran wins over running it again.
            case RETRY_SCHEDULED -> cur.withError(cur.cancelRequested() ? JobStatus.CANCELED : to,
                    Math.max(cur.attempt(), e.attempt()), e.failure(), at);
            case CANCEL_REQUESTED -> cancel(cur, to, at);
            case DATA_DELETED -> cur.dataDeleted() ? cur : cur.withDataDeleted(at);
            case ARCHIVED -> cur;
            case ENQUEUED -> enqueued(cur, e);
            default -> cur.with(to, at);
        };
    }

    /** Keeps the place of the latest enqueueing; an older report (earlier attempt) changes nothing. */
    private static JobRecord enqueued(JobRecord cur, JobEvent e) {
        if (cur.status().isTerminal() || e.workItem() == null || !e.workItem().supersedes(cur.workItem())
                || e.workItem().equals(cur.workItem())) {
            return cur;
        }
        return cur.withWorkItem(e.workItem(), e.at());
    }

    private static JobRecord cancel(JobRecord cur, JobStatus to, long at) {
        if (to == JobStatus.CANCELED) {
            return cur.withCancelRequested(at).with(JobStatus.CANCELED, at);
        }
        return cur.cancelRequested() ? cur : cur.withCancelRequested(at);
    }

    private static JobRecord created(JobMessage job, long at, WorkItemRef workItem) {
        return new JobRecord(job.jobId(), job.tenant(), JobStatus.QUEUED, 0, 0,
                job.request().numSteps() == null ? 0 : job.request().numSteps(), null, null, false, false,
                job.request(), job.inputs(), job.submittedAt(), 0, 0, at, job.deadlineAt(), 1, 0, workItem);
    }

    /**
     * The outcome of applying one event.
     *
     * @param accepted whether the event was applied (a no-op duplicate counts as accepted)
     * @param record the record after the event (unchanged when rejected)
     * @param reason why the event was rejected, null when accepted
     */
    public record Decision(boolean accepted, JobRecord record, String reason) {
        static Decision accept(JobRecord r) {
            return new Decision(true, r, null);
        }

        static Decision reject(JobRecord r, String why) {
            return new Decision(false, r, why);
        }

        /** Whether the record changed and must be written out. */
        public boolean changed(JobRecord before) {
            return accepted && record != before;
        }
    }
}
