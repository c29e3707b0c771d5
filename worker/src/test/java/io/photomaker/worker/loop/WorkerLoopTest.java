package io.photomaker.worker.loop;

import io.photomaker.common.config.Settings;
import io.photomaker.common.event.JobEvent;
import io.photomaker.common.job.JobIds;
import io.photomaker.common.job.JobMessage;
import io.photomaker.common.job.JobRequest;
import io.photomaker.common.job.JobStatus;
import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.KafkaClients;
import io.photomaker.common.kafka.KafkaHeaders;
import io.photomaker.common.kafka.Topics;
import io.photomaker.common.state.JobRecord;
import io.photomaker.common.storage.ObjectKeys;
import io.photomaker.testkit.Await;
import io.photomaker.testkit.kafka.TopicReader;
import io.photomaker.worker.Worker;
import io.photomaker.worker.WorkerConfig;
import io.photomaker.worker.ops.WorkerMetrics;
import io.photomaker.worker.run.JobHandler;
import io.photomaker.worker.stop.StopReason;
import io.photomaker.worker.stop.Stopped;
import io.photomaker.worker.support.WorkerTestBed;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The worker's Kafka loop against a real broker and S3 API server, with a scripted job handler. */
class WorkerLoopTest {
    private static WorkerTestBed bed;
    private static final Duration WAIT = Duration.ofSeconds(60);
    private final List<Worker> workers = new ArrayList<>();
    private ScriptedHandler handler;

    @BeforeAll
    static void startInfrastructure() {
        bed = WorkerTestBed.start(2);
    }

    @AfterAll
    static void stopInfrastructure() {
        bed.close();
    }

    @AfterEach
    void stopWorkers() {
        workers.forEach(Worker::close);
    }

    private Worker startWorker(String id, int maxAttempts, long drainSeconds) {
        return startWorker(id, maxAttempts, drainSeconds, Map.of());
    }

    private Worker startWorker(String id, int maxAttempts, long drainSeconds, Map<String, String> more) {
        if (handler == null) {
            handler = new ScriptedHandler(bed.store());
        }
        return startWorker(id, maxAttempts, drainSeconds, more, new WorkerMetrics(), handler);
    }

    private Worker startWorker(String id, int maxAttempts, long drainSeconds, Map<String, String> more,
                               WorkerMetrics metrics, JobHandler jobs) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "PM_WORKER_ID", id,
                "PM_MAX_ATTEMPTS", Integer.toString(maxAttempts),
                "PM_DRAIN_SECONDS", Long.toString(drainSeconds),
                "PM_RETRY_BASE_MS", "50",
                "PM_RETRY_CAP_MS", "200"));
        settings.putAll(more);
        Worker w = Worker.start(WorkerConfig.from(Settings.of(settings)), bed.kafka().settings(), bed.s3().settings(), metrics,
                st -> jobs);
        workers.add(w);
        Await.until("worker " + id + " to join the group", WAIT, () -> w.loop().hasAssignment());
        return w;
    }

    private static JobMessage submit(String prompt, int steps) {
        JobRequest req = new JobRequest(prompt, null, null, steps, null, null, null, 7L, 64, 64, 2, null, null, null, null,
                null).withDefaults(7);
        JobMessage job = new JobMessage(JobIds.newJobId(), "tenant-a", req, List.of(), System.currentTimeMillis(),
                0, 1);
        bed.producer().publish(JobEvent.submitted(job)).join();
        bed.producer().enqueue(job, new org.apache.kafka.common.header.internals.RecordHeaders()).join();
        return job;
    }

    private static JobRecord awaitStatus(String jobId, JobStatus status) {
        return Await.value(jobId + " to become " + status.wireName(), WAIT,
                () -> bed.writer().get(jobId).filter(r -> r.status() == status).orElse(null));
    }

    private static long committedOffsetSum() throws Exception {
        try (Admin admin = Admin.create(KafkaClients.admin(bed.kafka().settings()))) {
            Map<TopicPartition, OffsetAndMetadata> m = admin.listConsumerGroupOffsets(Topics.WORKER_GROUP)
                    .partitionsToOffsetAndMetadata().get(20, TimeUnit.SECONDS);
            return m.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
        }
    }

    @Test
    void the_lag_gauge_counts_the_running_and_the_waiting_jobs_then_drops_to_zero() throws Exception {
        handler = new ScriptedHandler(bed.store());
        CountDownLatch gate = new CountDownLatch(1);
        JobHandler gated = JobHandler.onDevice((job, ctx) -> {
            if (job.request().prompt().contains("gated")) {
                try {
                    gate.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return handler.handle(job, ctx);
        });
        WorkerMetrics metrics = new WorkerMetrics();
        WorkerConfig cfg = WorkerConfig.from(Settings.of(Map.of("PM_WORKER_ID", "lag", "PM_DRAIN_SECONDS", "5")));
        Worker w = Worker.start(cfg, bed.kafka().settings(), bed.s3().settings(), metrics, st -> gated);
        workers.add(w);
        JobMessage first = submit("a woman img, gated", 2);
        List<JobMessage> waiting = List.of(submit("a woman img, gated", 2), submit("a woman img, gated", 2));
        Await.until("the gauge to count the three jobs", WAIT, () -> lagGauge(metrics) >= 3);
        gate.countDown();
        awaitStatus(first.jobId(), JobStatus.SUCCEEDED);
        waiting.forEach(j -> awaitStatus(j.jobId(), JobStatus.SUCCEEDED));
        Await.until("the gauge to drop to zero", WAIT, () -> lagGauge(metrics) == 0);
    }

    private static double lagGauge(WorkerMetrics metrics) {
        return metrics.registry().get("photomaker_consumer_lag").gauge().value();
    }

    @Test
    void a_job_succeeds_with_its_outputs_stored_and_its_offset_committed() throws Exception {
        startWorker("w1", 3, 5);
        long before = committedOffsetSum();
        JobMessage job = submit("a woman img", 5);
        JobRecord done = awaitStatus(job.jobId(), JobStatus.SUCCEEDED);
        assertEquals(2, done.outputs().size());
        assertEquals(ObjectKeys.output(job.jobId(), 1), done.outputs().get(1).key());
        assertEquals(4, bed.store().get(ObjectKeys.output(job.jobId(), 0)).join().length);
        Await.until("the offset commit", WAIT, () -> {
            try {
                return committedOffsetSum() > before;
            } catch (Exception e) {
                return false;
            }
        });
        assertEquals(1, handler.calls(job.jobId()));
    }

    @Test
    void bad_input_fails_at_once_and_is_never_retried() {
        startWorker("w1", 3, 5);
        JobMessage job = submit("a woman img, fail permanently", 5);
        JobRecord failed = awaitStatus(job.jobId(), JobStatus.FAILED);
        assertEquals("invalid_image", failed.error().type());
        assertFalse(failed.error().retryable());
        assertEquals(1, handler.calls(job.jobId()));
    }

    @Test
    void a_transient_failure_is_retried_after_its_back_off_then_dead_lettered_and_counted() throws Exception {
        handler = new ScriptedHandler(bed.store());
        WorkerMetrics metrics = new WorkerMetrics();
        // base 400 ms: the first retry waits 200..400 ms, the second 400..800 ms (equal jitter)
        startWorker("w1", 3, 5, Map.of("PM_RETRY_BASE_MS", "400", "PM_RETRY_CAP_MS", "800"), metrics, handler);
        JobMessage job = submit("a woman img, fail transiently", 5);
        JobRecord failed = awaitStatus(job.jobId(), JobStatus.FAILED);
        assertEquals("storage_unavailable", failed.error().type());
        assertTrue(failed.error().retryable());
        assertEquals(3, handler.calls(job.jobId()));
        assertEquals(3, failed.attempt());

        List<Long> calls = handler.callTimes(job.jobId());
        Map<Integer, Long> notBefore = retryNotBefore(job.jobId(), 2);
        for (int attempt = 2; attempt <= 3; attempt++) {
            long delay = notBefore.get(attempt) - calls.get(attempt - 2);
            long least = 200L << (attempt - 2);
            assertTrue(delay >= least, "attempt " + attempt + " was scheduled " + delay + " ms after the failure");
            assertTrue(calls.get(attempt - 1) >= notBefore.get(attempt),
                    "attempt " + attempt + " ran before its not-before time");
        }
        assertTrue(deadLetterKeys(job.jobId()).contains(job.jobId()));
        Await.until("the retry and dead-letter counters", WAIT, () ->
                metrics.registry().get("photomaker_job_retries").counter().count() == 2
                        && metrics.registry().get("photomaker_dlq_messages").counter().count() == 1);
        String scrape = metrics.scrape();
        assertTrue(scrape.contains("photomaker_job_retries_total 2.0"), scrape);
        assertTrue(scrape.contains("photomaker_dlq_messages_total 1.0"), scrape);
    }

    /** The pm-not-before time of each re-enqueued attempt of {@code jobId}, by attempt. */
    private static Map<Integer, Long> retryNotBefore(String jobId, int expected) {
        Map<Integer, Long> times = new HashMap<>();
        try (TopicReader reader = TopicReader.fromBeginning(bed.kafka().settings(), Topics.JOBS, "retries")) {
            reader.readUntil("the re-enqueued attempts", WAIT, r -> {
                Header h = r.headers().lastHeader(KafkaHeaders.NOT_BEFORE);
                if (jobId.equals(r.key()) && h != null) {
                    int attempt = Json.read(r.value(), JobMessage.class).attempt();
                    times.put(attempt, Long.parseLong(new String(h.value(), StandardCharsets.UTF_8)));
                }
            }, () -> times.size() == expected);
        }
        return times;
    }

    private static List<String> deadLetterKeys(String jobId) {
        List<String> keys = new ArrayList<>();
        try (TopicReader reader = TopicReader.fromBeginning(bed.kafka().settings(), Topics.DLQ, "dlq")) {
            reader.readUntil("the dead letter", WAIT, r -> keys.add(r.key()), () -> keys.contains(jobId));
        }
        return keys;
    }

    @Test
    void a_crash_loop_ends_in_the_dead_letter_topic_once_the_attempts_are_used_up() {
        JobRequest req = new JobRequest("a woman img, crashes", null, null, 3, null, null, null, 3L, 64, 64, 1, null,
                null, null, null, null).withDefaults(3);
        JobMessage job = new JobMessage(JobIds.newJobId(), "tenant-a", req, List.of(), System.currentTimeMillis(), 0, 1);
        bed.producer().publish(JobEvent.submitted(job)).join();
        for (int attempt = 1; attempt <= 3; attempt++) {
            // each crashed worker announced its attempt and died before any outcome
            bed.producer().publish(JobEvent.started(job, attempt, "crashed-" + attempt, 3)).join();
        }
        Await.until("the third start to be seen", WAIT,
                () -> bed.writer().get(job.jobId()).map(r -> r.attempt() == 3).orElse(false));
        bed.producer().enqueue(job, new org.apache.kafka.common.header.internals.RecordHeaders()).join();
        startWorker("w1", 3, 5);

        JobRecord failed = awaitStatus(job.jobId(), JobStatus.FAILED);
        assertEquals("retries_exhausted", failed.error().type());
        assertTrue(failed.error().retryable());
        assertEquals(0, handler.calls(job.jobId()), "the fourth delivery never runs");
        assertTrue(deadLetterKeys(job.jobId()).contains(job.jobId()));
    }

    @Test
    void a_retry_waiting_for_its_time_does_not_hold_up_a_newer_job() {
        // the retry waits 3..6 s; the newer job must start before that
        startWorker("w1", 2, 5, Map.of("PM_RETRY_BASE_MS", "6000", "PM_RETRY_CAP_MS", "6000"));
        JobMessage poison = submit("a man img, fail transiently", 2);
        long notBefore = retryNotBefore(poison.jobId(), 1).get(2);
        JobMessage newer = submit("a man img", 2);

        awaitStatus(newer.jobId(), JobStatus.SUCCEEDED);
        assertTrue(handler.callTimes(newer.jobId()).get(0) < notBefore, "the newer job waited for the retry");
        awaitStatus(poison.jobId(), JobStatus.FAILED);
        assertTrue(handler.callTimes(poison.jobId()).get(1) >= notBefore);
    }

    @Test
    void a_poison_job_does_not_block_the_jobs_behind_it() {
        startWorker("w1", 4, 5);
        JobMessage poison = submit("a man img, fail transiently", 3);
        JobMessage good = submit("a man img", 3);
        awaitStatus(good.jobId(), JobStatus.SUCCEEDED);
        awaitStatus(poison.jobId(), JobStatus.FAILED);
        assertEquals(4, handler.calls(poison.jobId()));
    }

    @Test
    void canceling_a_running_job_stops_it_at_the_next_step() throws Exception {
        startWorker("w1", 3, 5);
        JobMessage job = submit("a girl img, slow", 100);
        Await.until("some progress", WAIT, () -> bed.writer().get(job.jobId()).map(r -> r.step() >= 3).orElse(false));
        bed.producer().publish(JobEvent.cancelRequested(job.jobId())).join();
        awaitStatus(job.jobId(), JobStatus.CANCELED);

        Stopped stop = handler.stoppedCall(job.jobId()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(StopReason.CANCELED_BY_USER, stop.reason());
        assertTrue(stop.completedSteps() < 100, "ran " + stop.completedSteps() + " steps");
        assertEquals(stop.completedSteps(), handler.steps(job.jobId()), "a step ran after the stop");
        assertEquals(1, handler.calls(job.jobId()));
        assertTrue(bed.store().list(ObjectKeys.outputPrefix(job.jobId())).join().isEmpty());
    }

    @Test
    void a_job_canceled_while_queued_never_starts() {
        JobMessage job = submit("a boy img", 3);
        bed.producer().publish(JobEvent.cancelRequested(job.jobId())).join();
        awaitStatus(job.jobId(), JobStatus.CANCELED);
        handler = new ScriptedHandler(bed.store());
        startWorker("w1", 3, 5);
        JobMessage after = submit("a boy img", 3);
        awaitStatus(after.jobId(), JobStatus.SUCCEEDED);
        assertEquals(0, handler.calls(job.jobId()));
    }

    @Test
    void a_job_whose_deadline_passed_before_it_started_expires() {
        JobRequest req = new JobRequest("a woman img", null, null, 3, null, null, null, 1L, 64, 64, 1, null, null, null, null,
                null).withDefaults(1);
        JobMessage job = new JobMessage(JobIds.newJobId(), "tenant-a", req, List.of(),
                System.currentTimeMillis() - 10_000, System.currentTimeMillis() - 1, 1);
        bed.producer().publish(JobEvent.submitted(job)).join();
        bed.producer().enqueue(job, new org.apache.kafka.common.header.internals.RecordHeaders()).join();
        startWorker("w1", 3, 5);
        awaitStatus(job.jobId(), JobStatus.EXPIRED);
        assertEquals(0, handler.calls(job.jobId()));
    }

    @Test
    void a_draining_worker_hands_its_job_back_and_another_worker_finishes_it() {
        Worker first = startWorker("w1", 3, 0);
        JobMessage job = submit("a woman img, slow", 60);
        Await.until("the first worker to start", WAIT,
                () -> bed.writer().get(job.jobId()).map(r -> r.step() >= 2).orElse(false));
        first.close();
        workers.remove(first);
        startWorker("w2", 3, 5);
        JobRecord done = awaitStatus(job.jobId(), JobStatus.SUCCEEDED);
        assertEquals(2, done.attempt());
        assertEquals(2, handler.calls(job.jobId()));
    }

    @Test
    void a_worker_keeps_consuming_after_a_rebalance_takes_partitions_from_it_mid_job() {
        startWorker("w1", 3, 5);
        JobMessage slow = submit("a woman img, slow", 40);
        Await.until("the slow job to run", WAIT, () -> bed.writer().get(slow.jobId()).map(r -> r.step() >= 2).orElse(false));
        startWorker("w2", 3, 5);
        List<JobMessage> quick = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            quick.add(submit("a man img", 2));
        }
        awaitStatus(slow.jobId(), JobStatus.SUCCEEDED);
        quick.forEach(j -> awaitStatus(j.jobId(), JobStatus.SUCCEEDED));
    }

    @Test
    void the_next_job_is_prepared_while_one_generates_and_the_last_is_stored_while_the_next_generates()
            throws Exception {
        PhasedHandler phased = new PhasedHandler(bed.store());
        // without overlap each of these waits would run out: first's generation needs second prepared, and
        // second's generation needs first's outputs being stored
        phased.generationWaitsFor("first", "second:prepare");
        phased.generationWaitsFor("second", "first:store");
        startWorker("w1", 3, 5, Map.of(), new WorkerMetrics(), phased);
        JobMessage first = submit("first woman img", 1);
        phased.phase("first", "prepare").get(WAIT.toSeconds(), TimeUnit.SECONDS);
        JobMessage second = submit("second woman img", 1);

        awaitStatus(first.jobId(), JobStatus.SUCCEEDED);
        awaitStatus(second.jobId(), JobStatus.SUCCEEDED);
        assertEquals(Boolean.TRUE, phased.waitedInTime("first"), "second was not prepared while first generated");
        assertEquals(Boolean.TRUE, phased.waitedInTime("second"), "first was not stored while second generated");
    }

    @Test
    void a_prepared_job_is_not_committed_before_it_ran_and_a_drain_hands_it_back_unstarted() throws Exception {
        PhasedHandler held = new PhasedHandler(bed.store());
        held.generationWaitsFor("running", "release");
        Worker first = startWorker("w1", 3, 0, Map.of(), new WorkerMetrics(), held);
        long before = committedOffsetSum();
        JobMessage running = submit("running woman img", 1);
        held.phase("running", "generate").get(WAIT.toSeconds(), TimeUnit.SECONDS);
        JobMessage waiting = submit("waiting woman img", 1);
        held.phase("waiting", "prepare").get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(before, committedOffsetSum(), "nothing is committed while both are in hand");

        first.close();
        workers.remove(first);
        assertEquals(before, committedOffsetSum(), "the drain committed work it had not done");
        assertTrue(bed.writer().get(waiting.jobId()).map(r -> r.attempt() == 0).orElse(true), "the prepared job never started");
        startWorker("w2", 3, 5, Map.of(), new WorkerMetrics(), new PhasedHandler(bed.store()));
        assertEquals(2, awaitStatus(running.jobId(), JobStatus.SUCCEEDED).attempt());
        assertEquals(1, awaitStatus(waiting.jobId(), JobStatus.SUCCEEDED).attempt());
    }
}
