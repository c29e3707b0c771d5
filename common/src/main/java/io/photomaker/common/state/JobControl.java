package io.photomaker.common.state;

import io.photomaker.common.job.WorkItemRef;

/**
 * What a worker needs to know about a job, as the state processor writes it to the compacted
 * {@code photomaker.job-control} topic (keyed by job id, co-partitioned with {@code photomaker.jobs}) in the
 * same transaction as the verdict: a few dozen bytes instead of the whole job record.
 *
 * @param attempt the attempt of the job's latest start (0 before it first started)
 * @param cancelRequested a client asked to cancel the job
 * @param terminal the job has ended; a work item for it must not run
 * @param workItem where the job's latest work item sits in its work queue, null when unknown
 */
public record JobControl(int attempt, boolean cancelRequested, boolean terminal, WorkItemRef workItem) {

    /** The control facts of {@code r}. */
    public static JobControl of(JobRecord r) {
        return new JobControl(r.attempt(), r.cancelRequested(), r.status().isTerminal(), r.workItem());
    }

    /**
     * Whether no work item of this job on {@code topic} can still need it: the job ended and its latest work
     * item lies in that topic's {@code partition} below {@code committedOffset}, the worker group's committed
     * offset there.
     */
    public boolean settledBelow(String topic, int partition, long committedOffset) {
        return terminal && workItem != null && workItem.topic().equals(topic) && workItem.partition() == partition
                && workItem.offset() < committedOffset;
    }
}
