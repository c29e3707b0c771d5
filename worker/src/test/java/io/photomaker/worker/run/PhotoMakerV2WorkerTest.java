package io.photomaker.worker.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.common.config.Settings;
import io.photomaker.common.event.EventType;
import io.photomaker.common.event.JobEvent;
import io.photomaker.common.job.IdentityRecord;
import io.photomaker.common.job.IdentityRef;
import io.photomaker.common.job.JobIds;
import io.photomaker.common.job.JobInput;
import io.photomaker.common.job.JobMessage;
import io.photomaker.common.job.JobOutput;
import io.photomaker.common.job.JobRequest;
import io.photomaker.common.job.JobStatus;
import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.KafkaClients;
import io.photomaker.common.kafka.Topics;
import io.photomaker.common.model.ModelNames;
import io.photomaker.common.state.JobRecord;
import io.photomaker.common.storage.ObjectKeys;
import io.photomaker.testkit.Await;
import io.photomaker.testkit.fixtures.SamplePortraits;
import io.photomaker.testkit.models.TinyModelBuilder;
import io.photomaker.worker.WorkerProcess;
import io.photomaker.worker.support.WorkerTestBed;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A photomaker-v1 fleet (with face models) and a photomaker-v2 fleet side by side on one Kafka and one S3, each
 * a whole worker process on the tiny models: jobs reach the fleet of their model, V2 jobs detect faces, fail
 * cleanly without any, report identity checks and regenerate, and V2 identities keep their face embeddings.
 */
class PhotoMakerV2WorkerTest {
    private static WorkerTestBed bed;
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final List<WorkerProcess> workers = new ArrayList<>();
    private static final Map<String, String> startedBy = new ConcurrentHashMap<>();
    private static Thread eventReader;
    private static volatile boolean reading = true;

    @BeforeAll
    static void start() throws Exception {
        bed = WorkerTestBed.start(2);
        Path v1 = Files.createTempDirectory("tiny-v1");
        TinyModelBuilder.create().faceModels(true).build(v1);
        Path v2 = Files.createTempDirectory("tiny-v2");
        TinyModelBuilder.create().photomakerVersion("v2").build(v2);
        workers.add(WorkerProcess.start(settings("v1-worker"), v1));
        workers.add(WorkerProcess.start(settings("v2-worker"), v2));
        eventReader = new Thread(PhotoMakerV2WorkerTest::readStartedEvents, "started-events");
        eventReader.start();
    }

    private static Settings settings(String workerId) {
        return bed.workerSettings(Map.of("PM_WORKER_ID", workerId));
    }

    /** Which worker started each job, from the job-events topic. */
    private static void readStartedEvents() {
        try (var consumer = new KafkaConsumer<String, byte[]>(
                KafkaClients.groupConsumer(bed.kafka().settings(), "started-events-reader", "started"))) {
            consumer.subscribe(List.of(Topics.JOB_EVENTS));
            while (reading) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    JobEvent e = Json.read(r.value(), JobEvent.class);
                    if (e.type() == EventType.STARTED) {
                        startedBy.put(e.jobId(), e.workerId());
                    }
                }
            }
        }
    }

    @AfterAll
    static void stop() throws Exception {
        reading = false;
        eventReader.join(10_000);
        for (WorkerProcess w : workers) {
            w.close();
        }
        bed.close();
    }

    private static JobMessage submit(JobRequest req, List<byte[]> photos) {
        String id = JobIds.newJobId();
        List<JobInput> inputs = new ArrayList<>();
        for (int i = 0; i < photos.size(); i++) {
            String key = ObjectKeys.input(id, i, "png");
            bed.store().put(key, photos.get(i), "image/png").join();
            inputs.add(new JobInput(key, "sha-" + i, "image/png"));
        }
        JobMessage job = new JobMessage(id, "t", req, inputs, System.currentTimeMillis(), 0, 1);
        bed.producer().publish(JobEvent.submitted(job)).join();
        bed.producer().enqueue(job, new RecordHeaders()).join();
        return job;
    }

    private static JobRecord awaitTerminal(String id) {
        return Await.value(id + " to end", WAIT, () -> bed.writer().get(id).filter(r -> r.status().isTerminal()).orElse(null));
    }

    private static JobRequest request(String model, Double minSimilarity, Integer regenerations, List<IdentityRef> ids) {
        return new JobRequest("a woman img in a garden", null, null, 2, null, null, null, 7L, 64, 64, 1, null, null, null, ids,
                null, null, null, model, minSimilarity, regenerations, null, null).withDefaults(7);
    }

    private static List<byte[]> portraits(int... seeds) {
        List<byte[]> out = new ArrayList<>();
        for (int s : seeds) {
            out.add(SamplePortraits.png(s, 160, 200));
        }
        return out;
    }

    @Test
    void a_v2_job_runs_on_the_v2_fleet_and_a_job_naming_no_model_on_the_v1_fleet() {
        JobMessage v2 = submit(request(ModelNames.V2, null, null, null), portraits(1, 2));
        JobMessage v1 = submit(request(null, null, null, null), portraits(3));
        JobRecord v2Done = awaitTerminal(v2.jobId());
        JobRecord v1Done = awaitTerminal(v1.jobId());
        assertEquals(JobStatus.SUCCEEDED, v2Done.status(), String.valueOf(v2Done.error()));
        assertEquals(JobStatus.SUCCEEDED, v1Done.status(), String.valueOf(v1Done.error()));
        assertEquals("v2-worker", Await.value("started event", WAIT, () -> startedBy.get(v2.jobId())));
        assertEquals("v1-worker", Await.value("started event", WAIT, () -> startedBy.get(v1.jobId())));
        for (JobRecord done : List.of(v2Done, v1Done)) {
            JobOutput out = done.outputs().get(0);
            assertEquals(1, out.generations());
            assertTrue(out.identitySimilarity() == null || Math.abs(out.identitySimilarity()) <= 1.0, out.toString());
        }
    }

    @Test
    void a_v2_job_whose_photos_show_no_face_fails_at_once_naming_them() {
        JobMessage job = submit(request(ModelNames.V2, null, null, null),
                List.of(SamplePortraits.pngWithoutFace(1, 160, 200), SamplePortraits.pngWithoutFace(2, 160, 200)));
        JobRecord done = awaitTerminal(job.jobId());
        assertEquals(JobStatus.FAILED, done.status());
        assertEquals("no_face_detected", done.error().type());
        assertFalse(done.error().retryable());
        assertEquals(1, done.attempt());
        assertTrue(done.error().message().contains("ID photo 1, 2"), done.error().message());
    }

    @Test
    void outputs_below_the_minimum_similarity_are_regenerated_within_the_budget() {
        // a similarity of 1 needs the very same face: every output falls short, so the whole budget is spent
        JobMessage job = submit(request(ModelNames.V2, 1.0, 2, null), portraits(4));
        JobRecord done = awaitTerminal(job.jobId());
        assertEquals(JobStatus.SUCCEEDED, done.status(), String.valueOf(done.error()));
        JobOutput out = done.outputs().get(0);
        assertEquals(3, out.generations());
        assertTrue(List.of(7L, 8L, 9L).contains(out.seed()), "seed " + out.seed());
        assertEquals(2 * 3, done.step(), "progress counts the regenerations' steps");
    }

    @Test
    void a_v2_identity_keeps_its_face_embeddings_and_mixes_with_photos_in_a_v2_job() {
        String idn = JobIds.newIdentityId();
        String photo = ObjectKeys.identityPhoto(idn, 0, "png");
        bed.store().put(photo, SamplePortraits.png(42, 160, 200), "image/png").join();
        IdentityRecord pending = new IdentityRecord(idn, "t", "me", IdentityRecord.PENDING, List.of(photo), false, 0,
                null, 1, 1, ModelNames.V2);
        IdentityStore identities = new IdentityStore(bed.store());
        identities.saveRecord(pending);
        bed.producer().send(new ProducerRecord<>(Topics.identityRequestsFor(ModelNames.V2), idn, Json.bytes(pending))).join();
        IdentityRecord ready = Await.value("identity ready", WAIT, () -> {
            IdentityRecord r = identities.record(idn);
            return IdentityRecord.READY.equals(r.status()) ? r : null;
        });
        assertEquals(1, ready.embeddings());
        IdentityStore.Embeddings stored = IdentityStore.decode(bed.store().get(ObjectKeys.identityEmbeddings(idn)).join());
        assertEquals(2 * TinyModelBuilder.PROMPT_DIM, stored.idEmbeddings().get(0).length);
        assertEquals(1, stored.faceEmbeddings().size());

        JobMessage job = submit(request(ModelNames.V2, null, null, List.of(new IdentityRef(idn, 1))), portraits(5));
        JobRecord done = awaitTerminal(job.jobId());
        assertEquals(JobStatus.SUCCEEDED, done.status(), String.valueOf(done.error()));
    }

    @Test
    void a_v2_identity_without_a_face_fails_with_no_face_detected() {
        String idn = JobIds.newIdentityId();
        String photo = ObjectKeys.identityPhoto(idn, 0, "png");
        bed.store().put(photo, SamplePortraits.pngWithoutFace(7, 160, 200), "image/png").join();
        IdentityRecord pending = new IdentityRecord(idn, "t", "me", IdentityRecord.PENDING, List.of(photo), false, 0,
                null, 1, 1, ModelNames.V2);
        IdentityStore identities = new IdentityStore(bed.store());
        identities.saveRecord(pending);
        bed.producer().send(new ProducerRecord<>(Topics.identityRequestsFor(ModelNames.V2), idn, Json.bytes(pending))).join();
        IdentityRecord failed = Await.value("identity failed", WAIT, () -> {
            IdentityRecord r = identities.record(idn);
            return IdentityRecord.FAILED.equals(r.status()) ? r : null;
        });
        assertEquals("no_face_detected", failed.error().type());
    }
}
