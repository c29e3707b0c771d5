package io.photomaker.devtools.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.common.event.JobEvent;
import io.photomaker.common.fixtures.TestJobs;
import io.photomaker.common.job.JobFailure;
import io.photomaker.common.job.JobMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the chaos runs count as a job executed twice, from the events workers wrote. */
class ExecutionAuditTest {
    private final JobMessage job = TestJobs.message().build();

    private ExecutionAudit.Executions tally(JobEvent... events) {
        ExecutionAudit.Tally t = new ExecutionAudit.Tally();
        for (JobEvent e : events) {
            t.add(e);
        }
        return t.executions();
    }

    private JobEvent started(int attempt, String worker) {
        return JobEvent.started(job, attempt, worker, 4);
    }

    private JobEvent succeeded(int attempt, String worker) {
        return JobEvent.succeeded(job.jobId(), attempt, worker, List.of());
    }

    @Test
    void one_start_and_one_outcome_is_one_execution() {
        ExecutionAudit.Executions runs = tally(started(1, "w1"), succeeded(1, "w1"));
        assertEquals(1, runs.starts());
        assertFalse(runs.duplicated());
    }

    @Test
    void a_crash_then_a_later_attempt_that_succeeds_is_a_retry_not_a_duplicate() {
        ExecutionAudit.Executions runs = tally(started(1, "w1"), started(2, "w2"), succeeded(2, "w2"));
        assertEquals(2, runs.starts());
        assertFalse(runs.duplicated());
    }

    @Test
    void a_retry_after_a_retryable_failure_is_not_a_duplicate() {
        JobFailure busy = JobFailure.transientFailure("device_busy", "busy");
        ExecutionAudit.Executions runs = tally(started(1, "w1"), JobEvent.retryScheduled(job.jobId(), 1, "w1", busy),
                started(2, "w1"), succeeded(2, "w1"));
        assertFalse(runs.duplicated());
    }

    @Test
    void two_workers_running_the_same_attempt_is_a_duplicate() {
        assertTrue(tally(started(1, "w1"), started(1, "w2"), succeeded(1, "w2")).duplicated());
    }

    @Test
    void two_executions_that_both_reach_an_outcome_are_a_duplicate() {
        assertTrue(tally(started(1, "w1"), started(2, "w2"), succeeded(2, "w2"), succeeded(1, "w1")).duplicated());
    }

    @Test
    void an_execution_started_after_the_job_had_its_outcome_is_a_duplicate() {
        assertTrue(tally(started(1, "w1"), succeeded(1, "w1"), started(2, "w2")).duplicated());
    }
}
