package io.photomaker.worker.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.config.Settings;
import io.photomaker.common.event.JobEvent;
import io.photomaker.common.job.JobIds;
import io.photomaker.common.job.JobMessage;
import io.photomaker.common.job.JobRequest;
import io.photomaker.common.job.JobStatus;
import io.photomaker.common.kafka.JobProducer;
import io.photomaker.common.kafka.KafkaClients;
import io.photomaker.common.kafka.Topics;
import io.photomaker.common.state.JobRecord;
import io.photomaker.common.state.JobStateView;
import io.photomaker.common.storage.ObjectKeys;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.testkit.Await;
import io.photomaker.testkit.infra.EmbeddedKafka;
import io.photomaker.testkit.infra.EmbeddedS3;
import io.photomaker.testkit.infra.ReferenceStateWriter;
import io.photomaker.worker.Worker;
import io.photomaker.worker.WorkerConfig;
import io.photomaker.worker.ops.WorkerMetrics;
import io.photomaker.worker.run.JobHandler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The worker's Kafka loop against a real broker and S3 API server, with a scripted job handler. */
class WorkerLoopTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static EmbeddedKafka kafka;
    private static EmbeddedS3 s3;
    private static ReferenceStateWriter writer;
    private static JobStateView view;
    private static JobProducer producer;
    private static ObjectStore store;
    private final List<Worker> workers = new ArrayList<>();
    private ScriptedHandler handler;

    @BeforeAll
    static void startInfrastructure() {
        kafka = EmbeddedKafka.start(2);
        s3 = EmbeddedS3.start();
        store = new ObjectStore(s3.settings());
        store.ensureBucket().join();
        writer = new ReferenceStateWriter(kafka.settings());
        view = new JobStateView(kafka.settings(), "test-view").start(Duration.ofSeconds(30));
        producer = new JobProducer(kafka.settings(), "test-client");
    }

    @AfterAll
    static void stopInfrastructure() {
        producer.close();
        view.close();
        writer.close();
        store.close();
        s3.close();
        kafka.close();
    }

    @AfterEach
    void stopWorkers() {
        workers.forEach(Worker::close);
    }

    private Worker startWorker(String id, int maxAttempts, long drainSeconds) {
        WorkerConfig cfg = WorkerConfig.from(Settings.of(Map.of(
                "PM_WORKER_ID", id,
                "PM_MAX_ATTEMPTS", Integer.toString(maxAttempts),
                "PM_DRAIN_SECONDS", Long.toString(drainSeconds),
                "PM_RETRY_BASE_MS", "50",
                "PM_RETRY_CAP_MS", "200")));
        if (handler == null) {
            handler = new ScriptedHandler(store);
        }
        Worker w = Worker.start(cfg, kafka.settings(), s3.settings(), st -> handler);
        workers.add(w);
        Await.until("worker " + id + " to join the group", WAIT, () -> w.loop().hasAssignment());
        return w;
    }

    private static JobMessage submit(String prompt, int steps) {
        JobRequest req = new JobRequest(prompt, null, null, steps, null, null, null, 7L, 64, 64, 2, null, null, null, null,
                null).withDefaults(7);
        JobMessage job = new JobMessage(JobIds.newJobId(), "tenant-a", req, List.of(), System.currentTimeMillis(),
                0, 1);
        producer.publish(JobEvent.submitted(job)).join();
        producer.enqueue(job, new org.apache.kafka.common.header.internals.RecordHeaders()).join();
        return job;
    }

    private static JobRecord awaitStatus(String jobId, JobStatus status) {
        return Await.value(jobId + " to become " + status.wireName(), WAIT,
                () -> view.get(jobId).filter(r -> r.status() == status).orElse(null));
    }

    private static long committedOffsetSum() throws Exception {
        try (Admin admin = Admin.create(KafkaClients.admin(kafka.settings()))) {
            Map<TopicPartition, OffsetAndMetadata> m = admin.listConsumerGroupOffsets(Topics.WORKER_GROUP)
                    .partitionsToOffsetAndMetadata().get(20, TimeUnit.SECONDS);
            return m.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
        }
    }

    @Test
    void the_lag_gauge_counts_the_running_and_the_waiting_jobs_then_drops_to_zero() throws Exception {
        handler = new ScriptedHandler(store);
        CountDownLatch gate = new CountDownLatch(1);
        JobHandler gated = (job, ctx) -> {
            if (job.request().prompt().contains("gated")) {
                try {
                    gate.await(60, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return handler.handle(job, ctx);
        };
        WorkerMetrics metrics = new WorkerMetrics();
        WorkerConfig cfg = WorkerConfig.from(Settings.of(Map.of("PM_WORKER_ID", "lag", "PM_DRAIN_SECONDS", "5")));
        Worker w = Worker.start(cfg, kafka.settings(), s3.settings(), metrics, st -> gated);
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
        assertEquals(4, store.get(ObjectKeys.output(job.jobId(), 0)).join().length);
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
    void a_transient_failure_is_retried_with_backoff_then_dead_lettered() throws Exception {
        startWorker("w1", 3, 5);
        JobMessage job = submit("a woman img, fail transiently", 5);
        JobRecord failed = awaitStatus(job.jobId(), JobStatus.FAILED);
        assertEquals("storage_unavailable", failed.error().type());
        assertTrue(failed.error().retryable());
        assertEquals(3, handler.calls(job.jobId()));
        assertEquals(3, failed.attempt());
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaClients.readerConsumer(kafka.settings(), "dlq"))) {
            List<TopicPartition> parts = c.partitionsFor(Topics.DLQ).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            List<String> keys = new ArrayList<>();
            Await.until("the dead letter", WAIT, () -> {
                c.poll(Duration.ofMillis(100)).forEach(r -> keys.add(r.key()));
                return keys.contains(job.jobId());
            });
        }
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
    void canceling_a_running_job_stops_it_at_the_next_step() {
        startWorker("w1", 3, 5);
        JobMessage job = submit("a girl img, slow", 100);
        Await.until("some progress", WAIT, () -> view.get(job.jobId()).map(r -> r.step() >= 3).orElse(false));
        producer.publish(JobEvent.cancelRequested(job.jobId())).join();
        awaitStatus(job.jobId(), JobStatus.CANCELED);
        int stepsAtCancel = handler.steps(job.jobId());
        assertTrue(stepsAtCancel < 100, "ran " + stepsAtCancel + " steps");
        Await.until("late steps to have had time", Duration.ofSeconds(2), () -> true);
        assertEquals(stepsAtCancel, handler.steps(job.jobId()), "steps kept growing after cancel");
        assertTrue(store.list(ObjectKeys.outputPrefix(job.jobId())).join().isEmpty());
    }

    @Test
    void a_job_canceled_while_queued_never_starts() {
        JobMessage job = submit("a boy img", 3);
        producer.publish(JobEvent.cancelRequested(job.jobId())).join();
        awaitStatus(job.jobId(), JobStatus.CANCELED);
        handler = new ScriptedHandler(store);
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
        producer.publish(JobEvent.submitted(job)).join();
        producer.enqueue(job, new org.apache.kafka.common.header.internals.RecordHeaders()).join();
        startWorker("w1", 3, 5);
        awaitStatus(job.jobId(), JobStatus.EXPIRED);
        assertEquals(0, handler.calls(job.jobId()));
    }

    @Test
    void a_draining_worker_hands_its_job_back_and_another_worker_finishes_it() {
        Worker first = startWorker("w1", 3, 0);
        JobMessage job = submit("a woman img, slow", 60);
        Await.until("the first worker to start", WAIT,
                () -> view.get(job.jobId()).map(r -> r.step() >= 2).orElse(false));
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
        Await.until("the slow job to run", WAIT, () -> view.get(slow.jobId()).map(r -> r.step() >= 2).orElse(false));
        startWorker("w2", 3, 5);
        List<JobMessage> quick = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            quick.add(submit("a man img", 2));
        }
        awaitStatus(slow.jobId(), JobStatus.SUCCEEDED);
        quick.forEach(j -> awaitStatus(j.jobId(), JobStatus.SUCCEEDED));
    }
}
