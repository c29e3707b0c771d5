package io.photomaker.gateway.retention;

import static io.photomaker.gateway.Fixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.photomaker.common.event.JobEvent;
import io.photomaker.common.job.JobMessage;
import io.photomaker.common.job.JobOutput;
import io.photomaker.common.job.JobStatus;
import io.photomaker.common.kafka.JobProducer;
import io.photomaker.common.state.JobRecord;
import io.photomaker.common.storage.ObjectKeys;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.gateway.Fixtures;
import io.photomaker.gateway.support.VerdictLog;
import io.photomaker.gateway.state.JobStateProcessor;
import io.photomaker.gateway.state.LifecycleConfig;
import io.photomaker.testkit.infra.EmbeddedKafka;
import io.photomaker.testkit.infra.EmbeddedS3;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RetentionTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration INPUT_RETENTION = Duration.ofSeconds(1);
    private static final Duration OUTPUT_TTL = Duration.ofSeconds(2);
    private static final Duration JOB_RETENTION = Duration.ofSeconds(4);
    private static EmbeddedKafka kafka;
    private static EmbeddedS3 s3;
    private static ObjectStore store;
    private static JobProducer producer;
    private static VerdictLog view;
    private static JobStateProcessor processor;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start(3);
        s3 = EmbeddedS3.start();
        store = new ObjectStore(s3.settings());
        store.ensureBucket().join();
        producer = new JobProducer(kafka.settings(), "retention-test");
        view = new VerdictLog(kafka.settings(), "retention-view");
        LifecycleConfig cfg = LifecycleConfig.defaults().withRetention(INPUT_RETENTION, OUTPUT_TTL, JOB_RETENTION)
                .withStateDir(Fixtures.tempDir("retention-state")).withTimers(Duration.ofMillis(100), Duration.ofSeconds(15));
        processor = JobStateProcessor.start(kafka.settings(), cfg, store, new SimpleMeterRegistry());
        assertTrue(processor.awaitRunning(WAIT));
    }

    @AfterAll
    static void stop() {
        processor.close();
        view.close();
        producer.close();
        store.close();
        s3.close();
        kafka.close();
    }

    private static void publish(JobEvent e) throws Exception {
        producer.publish(e).get(10, TimeUnit.SECONDS);
    }

    private static List<JobOutput> uploadOutputs(JobMessage job) {
        store.put(ObjectKeys.output(job.jobId(), 0), new byte[] {1, 2, 3}, "image/png").join();
        return List.of(new JobOutput(ObjectKeys.output(job.jobId(), 0), 64, 64, 42));
    }

    private static void uploadInputs(JobMessage job) {
        store.put(ObjectKeys.input(job.jobId(), 0, "png"), new byte[] {9}, "image/png").join();
    }

    private static boolean empty(String prefix) {
        return store.list(prefix).join().isEmpty();
    }

    private static JobRecord awaitVerdict(String id, JobStatus status) {
        await(WAIT, () -> view.get(id).map(r -> r.status() == status).orElse(false), () -> id + " " + status);
        return view.get(id).orElseThrow();
    }

    @Test
    void a_succeeded_job_loses_its_photos_then_its_outputs_then_its_record_which_the_archive_still_answers()
            throws Exception {
        JobMessage job = Fixtures.job("tenant-r");
        uploadInputs(job);
        publish(JobEvent.submitted(job));
        publish(JobEvent.started(job, 1, "w1", 4));
        List<JobOutput> outputs = uploadOutputs(job);
        publish(JobEvent.succeeded(job.jobId(), 1, "w1", outputs));
        JobRecord done = awaitVerdict(job.jobId(), JobStatus.SUCCEEDED);
        assertEquals(done.finishedAt() + OUTPUT_TTL.toMillis(), done.expiresAt());

        await(WAIT, () -> empty(ObjectKeys.inputPrefix(job.jobId())), () -> "ID photos deleted");
        long inputsGoneAt = System.currentTimeMillis();
        assertTrue(inputsGoneAt >= done.finishedAt() + INPUT_RETENTION.toMillis(), "photos deleted too early");
        await(WAIT, () -> empty(ObjectKeys.outputPrefix(job.jobId())), () -> "outputs deleted");
        assertTrue(System.currentTimeMillis() >= done.expiresAt(), "outputs deleted before expires_at");

        await(WAIT, () -> view.get(job.jobId()).isEmpty(), () -> "record removed from the state topic");
        assertTrue(System.currentTimeMillis() >= done.finishedAt() + JOB_RETENTION.toMillis());
        Optional<JobRecord> archived = new ArchiveReader(store).find(job.jobId()).get(10, TimeUnit.SECONDS);
        assertEquals(Optional.of(done), archived);
    }

    @Test
    void outputs_a_worker_writes_after_the_job_was_canceled_are_deleted() throws Exception {
        JobMessage job = Fixtures.job("tenant-r");
        publish(JobEvent.submitted(job));
        publish(JobEvent.started(job, 1, "w1", 4));
        publish(JobEvent.cancelRequested(job.jobId()));
        publish(JobEvent.canceled(job.jobId(), 1, "w1"));
        awaitVerdict(job.jobId(), JobStatus.CANCELED);
        List<JobOutput> late = uploadOutputs(job);
        assertFalse(empty(ObjectKeys.outputPrefix(job.jobId())));
        publish(JobEvent.succeeded(job.jobId(), 1, "w1", late));
        await(WAIT, () -> empty(ObjectKeys.outputPrefix(job.jobId())), () -> "late outputs deleted");
        assertEquals(JobStatus.CANCELED, view.get(job.jobId()).map(JobRecord::status).orElse(JobStatus.CANCELED));
    }

    @Test
    void a_data_deletion_request_removes_photos_and_outputs_of_a_running_job_at_once() throws Exception {
        JobMessage job = Fixtures.job("tenant-r");
        uploadInputs(job);
        publish(JobEvent.submitted(job));
        publish(JobEvent.started(job, 1, "w1", 4));
        uploadOutputs(job);
        awaitVerdict(job.jobId(), JobStatus.RUNNING);
        publish(JobEvent.dataDeleted(job.jobId()));
        await(WAIT, () -> empty(ObjectKeys.inputPrefix(job.jobId())) && empty(ObjectKeys.outputPrefix(job.jobId()))
                && view.get(job.jobId()).orElseThrow().dataDeleted(), () -> "data deleted");
        JobRecord rec = view.get(job.jobId()).orElseThrow();
        assertTrue(rec.dataDeleted());
        assertEquals(JobStatus.RUNNING, rec.status());
    }

    @Test
    void the_archive_has_nothing_for_a_job_it_never_archived() throws Exception {
        assertEquals(Optional.empty(), new ArchiveReader(store).find("job_never").get(10, TimeUnit.SECONDS));
    }
}
