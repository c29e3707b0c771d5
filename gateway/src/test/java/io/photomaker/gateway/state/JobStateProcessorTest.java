package io.photomaker.gateway.state;

import static io.photomaker.gateway.Fixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.photomaker.common.event.JobEvent;
import io.photomaker.common.job.JobFailure;
import io.photomaker.common.job.JobMessage;
import io.photomaker.common.job.JobOutput;
import io.photomaker.common.job.JobStatus;
import io.photomaker.common.kafka.JobProducer;
import io.photomaker.common.kafka.Topics;
import io.photomaker.common.state.JobRecord;
import io.photomaker.common.storage.ObjectKeys;
import io.photomaker.gateway.Fixtures;
import io.photomaker.gateway.support.VerdictLog;
import io.photomaker.testkit.infra.EmbeddedKafka;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JobStateProcessorTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static EmbeddedKafka kafka;
    private static JobProducer producer;
    private static VerdictLog view;

    @BeforeAll
    static void startKafka() {
        kafka = EmbeddedKafka.start(6);
        producer = new JobProducer(kafka.settings(), "state-test");
        view = new VerdictLog(kafka.settings(), "state-test-view");
    }

    @AfterAll
    static void stopKafka() {
        view.close();
        producer.close();
        kafka.close();
    }

    private static LifecycleConfig config() {
        return LifecycleConfig.defaults().withStateDir(Fixtures.tempDir("state-test"))
                .withTimers(Duration.ofMillis(100), Duration.ofSeconds(15));
    }

    private static JobStateProcessor startProcessor() {
        JobStateProcessor p = JobStateProcessor.start(kafka.settings(), config(), null, new SimpleMeterRegistry());
        assertTrue(p.awaitRunning(WAIT), "processor did not reach RUNNING, state " + p.state());
        return p;
    }

    private static void publish(JobEvent e) throws Exception {
        producer.publish(e).get(10, TimeUnit.SECONDS);
    }

    private static JobRecord awaitVerdict(String id, JobStatus status) {
        await(WAIT, () -> view.get(id).map(r -> r.status() == status).orElse(false),
                () -> id + " to be " + status + ", is " + view.get(id).map(JobRecord::status).orElse(null));
        return view.get(id).orElseThrow();
    }

    private static JobOutput output(JobMessage job) {
        return new JobOutput(ObjectKeys.output(job.jobId(), 0), 64, 64, 42);
    }

    @Test
    void a_submitted_job_gets_a_queued_verdict_that_every_view_sees() throws Exception {
        try (JobStateProcessor p = startProcessor()) {
            JobMessage job = Fixtures.job("tenant-a");
            publish(JobEvent.submitted(job));
            JobRecord rec = awaitVerdict(job.jobId(), JobStatus.QUEUED);
            assertEquals("tenant-a", rec.tenant());
            assertEquals(1, rec.version());
            assertEquals(job.request(), rec.request());
            assertTrue(p.counters().accepted() >= 1);
        }
    }

    @Test
    void started_progress_and_succeeded_move_the_verdict_and_set_the_output_expiry() throws Exception {
        try (JobStateProcessor p = startProcessor()) {
            JobMessage job = Fixtures.job("tenant-a");
            publish(JobEvent.submitted(job));
            publish(JobEvent.started(job, 1, "w1", 4));
            JobRecord running = awaitVerdict(job.jobId(), JobStatus.RUNNING);
            assertEquals(1, running.attempt());
            publish(JobEvent.progress(job.jobId(), 1, "w1", 3, 4));
            await(WAIT, () -> view.get(job.jobId()).orElseThrow().step() == 3, () -> "step 3");
            publish(JobEvent.succeeded(job.jobId(), 1, "w1", List.of(output(job))));
            JobRecord done = awaitVerdict(job.jobId(), JobStatus.SUCCEEDED);
            assertEquals(List.of(output(job)), done.outputs());
            assertEquals(4, done.version());
            assertEquals(done.finishedAt() + Duration.ofDays(1).toMillis(), done.expiresAt());
        }
    }

    @Test
    void stale_duplicate_late_and_unreadable_events_change_nothing_and_do_not_stop_the_processor()
            throws Exception {
        try (JobStateProcessor p = startProcessor()) {
            JobMessage job = Fixtures.job("tenant-a");
            publish(JobEvent.submitted(job));
            publish(JobEvent.started(job, 1, "w1", 4));
            publish(JobEvent.retryScheduled(job.jobId(), 1, "w1", JobFailure.transientFailure("gpu_lost", "lost")));
            publish(JobEvent.started(job.nextAttempt(), 2, "w2", 4));
            await(WAIT, () -> view.get(job.jobId()).map(r -> r.attempt() == 2 && r.status() == JobStatus.RUNNING)
                    .orElse(false), () -> "attempt 2 running");
            JobRecord second = view.get(job.jobId()).orElseThrow();
            long rejectedBefore = p.counters().rejected();
            publish(JobEvent.progress(job.jobId(), 1, "w1", 4, 4));
            publish(JobEvent.succeeded(job.jobId(), 1, "w1", List.of(output(job))));
            publish(JobEvent.started(job.nextAttempt(), 2, "w2", 4));
            producer.send(new ProducerRecord<>(Topics.JOB_EVENTS, job.jobId(), "not json".getBytes()))
                    .get(10, TimeUnit.SECONDS);
            publish(JobEvent.failed(job.jobId(), 2, "w2", JobFailure.permanent("invalid_image", "no face")));
            JobRecord failed = awaitVerdict(job.jobId(), JobStatus.FAILED);
            assertEquals(second.version() + 1, failed.version(), "only the failure may add a version");
            assertEquals("invalid_image", failed.error().type());
            assertEquals(rejectedBefore + 2, p.counters().rejected());
            assertTrue(p.counters().unreadable() >= 1);
            assertTrue(p.counters().duplicates() >= 1);
            publish(JobEvent.succeeded(job.jobId(), 2, "w2", List.of(output(job))));
            JobMessage next = Fixtures.job("tenant-a");
            publish(JobEvent.submitted(next));
            awaitVerdict(next.jobId(), JobStatus.QUEUED);
            assertEquals(JobStatus.FAILED, view.get(job.jobId()).orElseThrow().status());
        }
    }

    @Test
    void a_job_still_queued_at_its_deadline_expires_and_a_started_one_does_not() throws Exception {
        try (JobStateProcessor p = startProcessor()) {
            long deadline = System.currentTimeMillis() + 1500;
            JobMessage waiting = Fixtures.job("tenant-a", null, null, deadline);
            JobMessage running = Fixtures.job("tenant-a", null, null, deadline);
            publish(JobEvent.submitted(waiting));
            publish(JobEvent.submitted(running));
            publish(JobEvent.started(running, 1, "w1", 4));
            JobRecord expired = awaitVerdict(waiting.jobId(), JobStatus.EXPIRED);
            assertTrue(expired.finishedAt() >= deadline, "expired before its deadline");
            JobMessage marker = Fixtures.job("tenant-a");
            publish(JobEvent.succeeded(running.jobId(), 1, "w1", List.of(output(running))));
            awaitVerdict(running.jobId(), JobStatus.SUCCEEDED);
            publish(JobEvent.submitted(marker));
            awaitVerdict(marker.jobId(), JobStatus.QUEUED);
        }
    }

    @Test
    void two_replicas_share_the_partitions_and_every_verdict_is_right_even_after_one_leaves()
            throws Exception {
        JobStateProcessor first = startProcessor();
        JobStateProcessor second = startProcessor();
        try {
            assertTrue(first.awaitRunning(WAIT) && second.awaitRunning(WAIT));
            List<JobMessage> jobs = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                JobMessage job = Fixtures.job("tenant-" + (i % 3));
                jobs.add(job);
                publish(JobEvent.submitted(job));
                publish(JobEvent.started(job, 1, "w", 4));
            }
            for (JobMessage job : jobs) {
                awaitVerdict(job.jobId(), JobStatus.RUNNING);
            }
            assertTrue(first.counters().accepted() > 0 && second.counters().accepted() > 0,
                    "both replicas must own partitions: " + first.counters().accepted() + " / "
                            + second.counters().accepted());
            first.close();
            for (int i = 0; i < jobs.size(); i++) {
                JobMessage job = jobs.get(i);
                publish(JobEvent.progress(job.jobId(), 1, "w", 2, 4));
                if (i % 2 == 0) {
                    publish(JobEvent.cancelRequested(job.jobId()));
                    publish(JobEvent.canceled(job.jobId(), 1, "w"));
                }
                publish(JobEvent.succeeded(job.jobId(), 1, "w", List.of(output(job))));
            }
            for (int i = 0; i < jobs.size(); i++) {
                JobRecord rec = awaitVerdict(jobs.get(i).jobId(), i % 2 == 0 ? JobStatus.CANCELED : JobStatus.SUCCEEDED);
                assertEquals(i % 2 == 0 ? 5 : 4, rec.version(), rec::toString);
                assertEquals("tenant-" + (i % 3), rec.tenant());
            }
        } finally {
            first.close();
            second.close();
        }
    }

    @Test
    void fetches_wait_for_a_batch_of_events_no_longer_than_one_commit_interval() {
        LifecycleConfig cfg = LifecycleConfig.defaults();
        java.util.Properties p = JobStateProcessor.properties(kafka.settings(), cfg, java.nio.file.Path.of("state"));
        assertEquals(cfg.commitInterval().toMillis(), ((Number) p.get("main.consumer.fetch.max.wait.ms")).longValue());
        assertEquals(JobStateProcessor.FETCH_MIN_BYTES, p.get("main.consumer.fetch.min.bytes"));
        assertEquals("exactly_once_v2", p.get("processing.guarantee"));
    }
}
