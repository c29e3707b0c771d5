package io.photomaker.common.job;

/**
 * Where a job's work item sits in its work queue: the place that decides its true queue position
 * (its offset against the worker group's committed offset in the same partition).
 *
 * @param topic the work queue it was put on (one per served model, see {@code Topics.jobsFor})
 * @param partition partition of that topic
 * @param offset the work item's offset in that partition
 * @param attempt the attempt the work item carries (1 for the submission, n + 1 for a retry)
 */
public record WorkItemRef(String topic, int partition, long offset, int attempt) {
    public WorkItemRef {
        if (topic == null || topic.isBlank() || partition < 0 || offset < 0 || attempt < 0) {
            throw new IllegalArgumentException("a work item reference needs a topic, a partition, offset and attempt >= 0");
        }
    }

    /** Whether this reference is for the same or a later enqueueing of the job than {@code other}. */
    public boolean supersedes(WorkItemRef other) {
        return other == null || attempt > other.attempt || (attempt == other.attempt && offset >= other.offset);
    }
}
