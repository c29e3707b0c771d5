package io.photomaker.gateway.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.fixtures.TestJobs;
import io.photomaker.common.job.JobStatus;
import io.photomaker.common.state.JobRecord;
import io.photomaker.common.state.JobStateView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The indexes fed record by record, as the state view's listener would (the view itself is not started). */
class JobIndexTest {
    private final JobStateView view = new JobStateView(new KafkaSettings("127.0.0.1:1", 1, (short) 1), "index-test");
    private final JobIndex index = new JobIndex(view, 0);

    @AfterEach
    void close() {
        index.close();
        view.close();
    }

    private static JobRecord record(String id, String tenant, JobStatus status, long version) {
        return TestJobs.record().id(id).tenant(tenant).status(status).version(version).build();
    }

    @Test
    void queue_positions_follow_submission_order_and_skip_jobs_that_left_the_queue() {
        index.update(record("job_a", "t", JobStatus.QUEUED, 1));
        index.update(record("job_b", "t", JobStatus.QUEUED, 1));
        index.update(record("job_c", "u", JobStatus.QUEUED, 1));
        assertEquals(1, index.queuePosition("job_a"));
        assertEquals(3, index.queuePosition("job_c"));

        index.update(record("job_a", "t", JobStatus.RUNNING, 2));
        assertEquals(0, index.queuePosition("job_a"));
        assertEquals(1, index.queuePosition("job_b"));
        assertEquals(2, index.queuePosition("job_c"));
        assertEquals(2, index.queuedCount());
        assertEquals(1, index.runningCount());
    }

    @Test
    void active_counts_per_tenant_follow_status_changes_and_ignore_stale_versions() {
        index.update(record("job_a", "t", JobStatus.QUEUED, 1));
        index.update(record("job_b", "t", JobStatus.RUNNING, 3));
        assertEquals(2, index.activeCount("t"));
        index.update(record("job_b", "t", JobStatus.SUCCEEDED, 4));
        index.update(record("job_b", "t", JobStatus.RUNNING, 2));
        assertEquals(1, index.activeCount("t"));
        assertEquals(0, index.activeCount("nobody"));
    }
}
