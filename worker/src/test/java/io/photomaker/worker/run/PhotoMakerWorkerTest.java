package io.photomaker.worker.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.common.event.JobEvent;
import io.photomaker.common.fixtures.JobMessageBuilder;
import io.photomaker.common.fixtures.TestJobs;
import io.photomaker.common.job.IdentityRecord;
import io.photomaker.common.job.IdentityRef;
import io.photomaker.common.job.JobIds;
import io.photomaker.common.job.JobInput;
import io.photomaker.common.job.JobMessage;
import io.photomaker.common.job.JobRequest;
import io.photomaker.common.job.JobStatus;
import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.Topics;
import io.photomaker.common.state.JobRecord;
import io.photomaker.common.storage.ObjectKeys;
import io.photomaker.testkit.Await;
import io.photomaker.testkit.fixtures.SamplePortraits;
import io.photomaker.testkit.models.TinyModelBuilder;
import io.photomaker.worker.WorkerProcess;
import io.photomaker.worker.support.WorkerTestBed;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A whole worker process — real pipeline on the tiny ONNX models — against real Kafka and S3. */
class PhotoMakerWorkerTest {
    private static WorkerTestBed bed;
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static WorkerProcess worker;
    private static Path dumps;
    private static final String DUMPED_JOB = JobIds.newJobId();

    @BeforeAll
    static void start() throws Exception {
        bed = WorkerTestBed.start(2);
        Path models = Files.createTempDirectory("tiny-models");
        TinyModelBuilder.create().build(models);
        dumps = Files.createTempDirectory("tensor-dumps");
        worker = WorkerProcess.start(bed.workerSettings(Map.of("PM_METRICS_PORT", "0", "PM_METRICS_HOST", "127.0.0.1",
                "PM_EXECUTION_PROVIDER", "auto", "PM_DUMP_TENSORS_DIR", dumps.toString(),
                "PM_DUMP_TENSORS_JOBS", "job_not_submitted, " + DUMPED_JOB)), models);
    }

    @AfterAll
    static void stop() {
        worker.close();
        bed.close();
    }

    private static JobMessage submit(JobRequest req, int photos) {
        return submit(JobIds.newJobId(), req, photos);
    }

    private static JobMessage submit(String id, JobRequest req, int photos) {
        JobMessageBuilder message = TestJobs.message().id(id).tenant("t").request(req);
        for (int i = 0; i < photos; i++) {
            String key = ObjectKeys.input(id, i, "png");
            bed.store().put(key, SamplePortraits.png(i, 120, 150), "image/png").join();
            message.input(new JobInput(key, "sha-" + i, "image/png"));
        }
        JobMessage job = message.build();
        bed.producer().publish(JobEvent.submitted(job)).join();
        bed.producer().enqueue(job, new RecordHeaders()).join();
        return job;
    }

    private static JobRecord awaitTerminal(String id) {
        return Await.value(id + " to end", WAIT,
                () -> bed.writer().get(id).filter(r -> r.status().isTerminal()).orElse(null));
    }

    private static JobRequest request(String prompt, long seed, List<IdentityRef> ids) {
        return TestJobs.request().prompt(prompt).steps(3).seed(seed).size(96, 64).outputs(2).identities(ids).build();
    }

    @Test
    void a_job_with_two_photos_produces_pngs_of_the_requested_size() throws Exception {
        JobMessage job = submit(request("a photo of a woman img in a garden", 11, null), 2);
        JobRecord done = awaitTerminal(job.jobId());
        assertEquals(JobStatus.SUCCEEDED, done.status(), String.valueOf(done.error()));
        assertEquals(2, done.outputs().size());
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(bed.store().get(done.outputs().get(0).key()).join()));
        assertEquals(96, img.getWidth());
        assertEquals(64, img.getHeight());
        assertEquals(11, done.outputs().get(0).seed());
        assertEquals(11, done.outputs().get(1).seed(), "both outputs come from one draw seeded with the job's seed");
    }

    @Test
    void a_job_the_operator_names_is_dumped_tensor_by_tensor_and_others_are_not() throws Exception {
        JobRecord dumped = awaitTerminal(submit(DUMPED_JOB, request("a photo of a man img", 8, null), 1).jobId());
        JobRecord plain = awaitTerminal(submit(request("a photo of a man img", 8, null), 1).jobId());
        assertEquals(JobStatus.SUCCEEDED, dumped.status(), String.valueOf(dumped.error()));
        assertEquals(JobStatus.SUCCEEDED, plain.status(), String.valueOf(plain.error()));

        Path attempt = dumps.resolve(DUMPED_JOB).resolve("attempt-1");
        var calls = Json.mapper().readTree(attempt.resolve("calls.json").toFile());
        assertEquals(3, calls.path("num_steps").asInt());
        assertEquals(8, calls.path("seed").asLong());
        // the photo's ID embedding may come from the cache: the dump shows the calls that ran
        long unetRows = 0;
        for (var call : calls.path("calls")) {
            unetRows += call.path("model").asText().equals("unet") ? call.path("rows").size() : 0;
        }
        assertEquals(3 * 2 * 2, unetRows, "two guidance rows per step and output, however the outputs share calls");
        assertTrue(Files.isRegularFile(attempt.resolve("noise.npy")));
        assertTrue(Files.isRegularFile(attempt.resolve("image-1.npy")));
        assertFalse(Files.exists(dumps.resolve(plain.id())));
    }

    @Test
    void the_same_request_and_seed_give_identical_png_bytes() {
        JobRecord a = awaitTerminal(submit(request("a man img wearing a hat", 5, null), 1).jobId());
        JobRecord b = awaitTerminal(submit(request("a man img wearing a hat", 5, null), 1).jobId());
        assertArrayEquals(bed.store().get(a.outputs().get(0).key()).join(), bed.store().get(b.outputs().get(0).key()).join());
    }

    @Test
    void a_job_asking_for_webp_gets_webp_files_under_webp_keys() throws Exception {
        JobRequest webp = new JobRequest("a woman img in a garden", null, null, 3, null, null, null, 21L, 96, 64, 2,
                null, null, null, null, null, null, null, null, null, null, "webp", 80).withDefaults(21);
        JobRecord done = awaitTerminal(submit(webp, 1).jobId());
        assertEquals(JobStatus.SUCCEEDED, done.status(), String.valueOf(done.error()));
        for (int i = 0; i < 2; i++) {
            String key = done.outputs().get(i).key();
            assertEquals(ObjectKeys.output(done.id(), i, "webp"), key);
            byte[] bytes = bed.store().get(key).join();
            assertEquals(io.photomaker.common.image.ImageFormat.WEBP, io.photomaker.common.image.ImageHeader.probe(bytes).format());
            assertEquals(96, io.photomaker.common.image.ImageDecoder.decode(bytes, 1_000_000).getWidth());
        }
    }

    @Test
    void a_photo_that_is_not_an_image_fails_the_job_without_retry() {
        String id = JobIds.newJobId();
        String key = ObjectKeys.input(id, 0, "png");
        bed.store().put(key, new byte[]{(byte) 0x89, 'P', 'N', 'G', 1, 2, 3}, "image/png").join();
        JobMessage job = TestJobs.message().id(id).tenant("t").request(request("a woman img", 1, null))
                .input(new JobInput(key, "x", "image/png")).build();
        bed.producer().publish(JobEvent.submitted(job)).join();
        bed.producer().enqueue(job, new RecordHeaders()).join();
        JobRecord done = awaitTerminal(id);
        assertEquals(JobStatus.FAILED, done.status());
        assertFalse(done.error().retryable());
        assertEquals(1, done.attempt());
    }

    @Test
    void an_identity_is_encoded_once_and_then_used_instead_of_photos() {
        String idn = JobIds.newIdentityId();
        String photo = ObjectKeys.identityPhoto(idn, 0, "png");
        bed.store().put(photo, SamplePortraits.png(42, 128, 128), "image/png").join();
        IdentityRecord pending = new IdentityRecord(idn, "t", "me", IdentityRecord.PENDING, List.of(photo), false, 0,
                null, 1, 1);
        IdentityStore identities = new IdentityStore(bed.store());
        identities.saveRecord(pending);
        bed.producer().send(new ProducerRecord<>(Topics.IDENTITY_REQUESTS, idn, Json.bytes(pending))).join();
        IdentityRecord ready = Await.value("identity ready", WAIT, () -> {
            IdentityRecord r = identities.record(idn);
            return IdentityRecord.READY.equals(r.status()) ? r : null;
        });
        assertEquals(1, ready.embeddings());
        assertEquals(List.of(), bed.store().list(ObjectKeys.identityPrefix(idn) + "photos/").join(), "photos deleted");
        JobMessage job = submit(request("a woman img at the beach", 3, List.of(new IdentityRef(idn, 2))), 0);
        JobRecord done = awaitTerminal(job.jobId());
        assertEquals(JobStatus.SUCCEEDED, done.status(), String.valueOf(done.error()));
    }
}
