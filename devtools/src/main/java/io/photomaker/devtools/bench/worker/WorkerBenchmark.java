package io.photomaker.devtools.bench.worker;

import io.photomaker.common.config.Settings;
import io.photomaker.common.event.EventType;
import io.photomaker.common.event.JobEvent;
import io.photomaker.common.job.JobIds;
import io.photomaker.common.job.JobInput;
import io.photomaker.common.job.JobMessage;
import io.photomaker.common.job.JobRequest;
import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.JobProducer;
import io.photomaker.common.kafka.KafkaClients;
import io.photomaker.common.kafka.Topics;
import io.photomaker.common.storage.ObjectKeys;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.testkit.fixtures.SamplePortraits;
import io.photomaker.testkit.infra.EmbeddedKafka;
import io.photomaker.testkit.infra.EmbeddedS3;
import io.photomaker.worker.Worker;
import io.photomaker.worker.WorkerConfig;
import io.photomaker.worker.output.ImageEncoder;
import io.photomaker.worker.output.OutputFormat;
import io.photomaker.worker.pipeline.UnetBatchPlan;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * {@code bench worker}: the real worker (loop, runners, lanes, S3 and Kafka I/O, photo decoding and CLIP
 * preprocessing, 1024x1024 output encoding and upload) against an in-process Kafka broker and S3 API
 * server, with the networks replaced by a {@link SimulatedDevice}. After a few warm-up jobs it enqueues a
 * backlog of default jobs (four 1024x1280 JPEG ID photos each) and measures, from the enqueue until the
 * device finished the backlog, the share of time the device was busy ({@code device_busy=}) and the images
 * one device makes per hour at that rate ({@code images_per_hour_per_device=}).
 */
public final class WorkerBenchmark {
    private static final int PHOTOS = 4;
    private static final int PHOTO_WIDTH = 1024;
    private static final int PHOTO_HEIGHT = 1280;
    private static final Duration TIMEOUT = Duration.ofMinutes(20);

    /**
     * @param prefetch the worker's PM_PREFETCH_JOBS
     * @param gpuMemoryGib memory of the simulated GPU, which sets the UNet batch limit
     */
    public record Options(int jobs, int warmup, int prefetch, String outputFormat, SimulatedDevice.Timings timings,
                          int gpuMemoryGib) {
    }

    /** What one run measured. */
    public record Result(int jobs, int images, double wallSeconds, double busySeconds) {
        double deviceBusy() {
            return busySeconds / wallSeconds;
        }

        double imagesPerHour() {
            return images / wallSeconds * 3600;
        }
    }

    private WorkerBenchmark() {
    }

    /** Runs the benchmark and prints its figures; the last two lines are device_busy= and images_per_hour_per_device=. */
    public static Result run(Options opt, PrintStream out) throws Exception {
        SimulatedDevice device = new SimulatedDevice(opt.timings());
        UnetBatchPlan batch = new UnetBatchPlan(0, true, OptionalLong.of((long) opt.gpuMemoryGib() << 30));
        out.printf(Locale.ROOT, "device: SIMULATED -- no GPU and no neural network runs; each model call holds one"
                        + " device lock while the CPU is free: UNet %d ms per output (batch of 2 with guidance),"
                        + " VAE decode %d ms, ID encoding %d ms; UNet batch limit %d outputs (%d GiB)%n",
                opt.timings().unetPerGuidedOutput().toMillis(), opt.timings().vaeDecode().toMillis(),
                opt.timings().idEncode().toMillis(), batch.outputsPerCall(128, 128, Integer.MAX_VALUE), opt.gpuMemoryGib());
        out.println("real: worker loop, Kafka, S3 API, photo decoding and preprocessing, scheduler and guidance"
                + " arithmetic, 1024x1024 output encoding and upload");
        ImageEncoder.init();
        try (EmbeddedKafka kafka = EmbeddedKafka.start(4);
             EmbeddedS3 s3 = EmbeddedS3.start();
             ObjectStore store = new ObjectStore(s3.settings());
             JobProducer producer = new JobProducer(kafka.settings(), "bench-client");
             Outcomes outcomes = new Outcomes(kafka)) {
            store.ensureBucket().join();
            Settings settings = Settings.of(Map.of("PM_WORKER_ID", "bench-worker", "PM_DRAIN_SECONDS", "5",
                    "PM_PREFETCH_JOBS", Integer.toString(opt.prefetch())));
            try (Worker worker = Worker.start(WorkerConfig.from(settings), kafka.settings(), s3.settings(),
                    st -> new SimulatedPhotoMakerHandler(st, device, batch))) {
                awaitAssignment(worker);
                List<byte[]> photos = photos();
                outcomes.await(enqueue(producer, store, photos, opt.warmup(), opt.outputFormat()));
                out.printf(Locale.ROOT, "warm-up: %d jobs done%n", opt.warmup());

                List<JobMessage> backlog = upload(store, photos, opt.jobs(), opt.outputFormat());
                device.reset();
                long start = System.nanoTime();
                List<java.util.concurrent.CompletableFuture<?>> sends = new ArrayList<>();
                for (JobMessage job : backlog) {
                    sends.add(producer.publish(JobEvent.submitted(job)));
                    sends.add(producer.enqueue(job, new RecordHeaders()));
                }
                sends.forEach(java.util.concurrent.CompletableFuture::join);
                outcomes.await(backlog.stream().map(JobMessage::jobId).toList());
                double wall = (device.lastReleaseNanos() - start) / 1e9;
                int images = backlog.stream().mapToInt(j -> j.request().numOutputs()).sum();
                Result result = new Result(backlog.size(), images, wall, device.busyNanos() / 1e9);
                long[] idle = device.idleNanos();
                out.printf(Locale.ROOT, "device_idle_s: before the first call=%.2f, between jobs=%.2f, within jobs=%.2f"
                        + " (%d calls)%n", (wall * 1e9 - device.busyNanos() - idle[0] - idle[1]) / 1e9, idle[0] / 1e9,
                        idle[1] / 1e9, device.calls());
                print(result, backlog.get(0).request(), out);
                return result;
            }
        }
    }

    private static void print(Result r, JobRequest request, PrintStream out) {
        out.printf(Locale.ROOT, "jobs=%d (%dx%d, %d steps, %d output(s), %s, %d ID photos of %dx%d)%n", r.jobs(),
                request.width(), request.height(), request.numSteps(), request.numOutputs(), request.outputFormat(),
                PHOTOS, PHOTO_WIDTH, PHOTO_HEIGHT);
        out.printf(Locale.ROOT, "wall_s=%.2f device_s=%.2f (from the backlog's enqueue until the device finished it)%n",
                r.wallSeconds(), r.busySeconds());
        out.printf(Locale.ROOT, "device_busy=%.3f%n", r.deviceBusy());
        out.printf(Locale.ROOT, "images_per_hour_per_device=%.0f%n", r.imagesPerHour());
    }

    private static void awaitAssignment(Worker worker) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (!worker.loop().hasAssignment()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the worker got no partition in a minute");
            }
            Thread.sleep(50);
        }
    }

    /** Four distinct portraits as JPEG files, like phone photos. */
    private static List<byte[]> photos() {
        List<byte[]> photos = new ArrayList<>();
        for (int i = 0; i < PHOTOS; i++) {
            photos.add(ImageEncoder.encode(SamplePortraits.draw(100 + i, PHOTO_WIDTH, PHOTO_HEIGHT), OutputFormat.JPEG, 90));
        }
        return photos;
    }

    private static List<String> enqueue(JobProducer producer, ObjectStore store, List<byte[]> photos, int count,
                                        String format) {
        List<String> ids = new ArrayList<>();
        for (JobMessage job : upload(store, photos, count, format)) {
            producer.publish(JobEvent.submitted(job)).join();
            producer.enqueue(job, new RecordHeaders()).join();
            ids.add(job.jobId());
        }
        return ids;
    }

    /** Jobs of the product defaults, their photos already in the object store. */
    private static List<JobMessage> upload(ObjectStore store, List<byte[]> photos, int count, String format) {
        List<JobMessage> jobs = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            String id = JobIds.newJobId();
            List<JobInput> inputs = new ArrayList<>();
            for (int i = 0; i < photos.size(); i++) {
                String key = ObjectKeys.input(id, i, "jpg");
                store.put(key, photos.get(i), "image/jpeg").join();
                inputs.add(new JobInput(key, "sha-" + i, "image/jpeg"));
            }
            JobRequest request = new JobRequest("a photo of a woman img", null, null, null, null, null, null, null,
                    null, null, null, null, null, null, null, null, null, null, null, null, null, format, null).withDefaults(1000L + n);
            jobs.add(new JobMessage(id, "bench", request, inputs, System.currentTimeMillis(), 0, 1));
        }
        return jobs;
    }

    /** Follows the job-events topic for succeeded and failed jobs. */
    private static final class Outcomes implements AutoCloseable {
        private final KafkaConsumer<String, byte[]> consumer;
        private final Set<String> succeeded = new HashSet<>();

        Outcomes(EmbeddedKafka kafka) {
            consumer = new KafkaConsumer<>(KafkaClients.readerConsumer(kafka.settings(), "bench-outcomes"));
            KafkaClients.assignFromBeginning(consumer, Topics.JOB_EVENTS, Duration.ofSeconds(30));
        }

        void await(List<String> jobIds) {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (!succeeded.containsAll(jobIds)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("jobs did not finish within " + TIMEOUT.toMinutes() + " minutes");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    JobEvent e = Json.read(r.value(), JobEvent.class);
                    if (e.type() == EventType.SUCCEEDED) {
                        succeeded.add(e.jobId());
                    } else if (e.type() == EventType.FAILED) {
                        throw new IllegalStateException("job " + e.jobId() + " failed: " + e.failure());
                    }
                }
            }
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
