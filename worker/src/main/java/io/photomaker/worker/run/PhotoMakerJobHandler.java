package io.photomaker.worker.run;

import io.photomaker.common.image.ImageDecoder;
import io.photomaker.common.image.ImageRejected;
import io.photomaker.common.job.JobFailure;
import io.photomaker.common.job.JobInput;
import io.photomaker.common.job.JobMessage;
import io.photomaker.common.job.JobOutput;
import io.photomaker.common.job.JobRequest;
import io.photomaker.common.storage.ObjectKeys;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.common.storage.StorageException;
import io.photomaker.worker.pipeline.GeneratedImage;
import io.photomaker.worker.pipeline.GenerationCanceledException;
import io.photomaker.worker.pipeline.GenerationRecorder;
import io.photomaker.worker.pipeline.GenerationRequest;
import io.photomaker.worker.pipeline.GenerationResult;
import io.photomaker.worker.pipeline.IdPhotos;
import io.photomaker.worker.pipeline.PhotoMakerPipeline;
import io.photomaker.worker.pipeline.PipelineException;
import io.photomaker.worker.pipeline.dump.TensorDump;
import io.photomaker.worker.pipeline.noise.CudaGrid;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a job through the PhotoMaker pipeline: fetches the ID photos, decodes them (EXIF orientation
 * applied), encodes their ID embeddings (photomaker-v2: only photos with a face; none at all fails the job with
 * {@code no_face_detected}), generates, checks each output's identity similarity when the models include the
 * face models ({@link OutputIdentityCheck}), and stores each PNG under its deterministic key. Bad input fails
 * permanently; storage and runtime errors are retryable. Jobs the operator named in {@link GenerationSettings}
 * are dumped tensor by tensor while they run.
 */
public final class PhotoMakerJobHandler implements JobHandler, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PhotoMakerJobHandler.class);

    /** Largest photo the worker decodes, matching the gateway's limit. */
    public static final long MAX_PIXELS = 40_000_000L;

    private final PhotoMakerPipeline pipeline;
    private final ObjectStore store;
    private final IdentityStore identities;
    private final GenerationSettings settings;

    public PhotoMakerJobHandler(PhotoMakerPipeline pipeline, ObjectStore store) {
        this(pipeline, store, GenerationSettings.defaults());
    }

    public PhotoMakerJobHandler(PhotoMakerPipeline pipeline, ObjectStore store, GenerationSettings settings) {
        this.pipeline = pipeline;
        this.store = store;
        this.identities = new IdentityStore(store);
        this.settings = settings;
    }

    public PhotoMakerPipeline pipeline() {
        return pipeline;
    }

    /**
     * Phases as the trace shows them: {@code download_inputs} (fetch and decode the ID photos),
     * {@code encode_id} (stored identities and ID embeddings), {@code denoise} (prompt encoding, the
     * denoising loop and, per output, the VAE decode and PNG encoding the pipeline does between loops),
     * {@code identity_check} (output faces, and regenerations below min_identity_similarity; only with face
     * models),
     * {@code decode_upload} (writing the PNGs).
     */
    @Override
    public List<JobOutput> handle(JobMessage job, JobContext ctx) {
        TensorDump dump = openDump(job, ctx.attempt());
        try {
            return run(job, ctx, dump == null ? GenerationRecorder.NONE : dump);
        } finally {
            if (dump != null) {
                dump.close();
                dump.failure().ifPresentOrElse(
                        e -> LOG.warn("tensor dump of job {} in {} stopped: {}", job.jobId(), dump.directory(), e.toString()),
                        () -> LOG.info("tensor dump of job {} written to {}", job.jobId(), dump.directory()));
            }
        }
    }

    private List<JobOutput> run(JobMessage job, JobContext ctx, GenerationRecorder recorder) {
        List<BufferedImage> photos = job.inputs().isEmpty() ? List.of()
                : ctx.phase("download_inputs", () -> decode(fetch(job.inputs())));
        IdentityStore.Embeddings encoded = ctx.phase("encode_id", () -> encode(job, photos, recorder));
        List<float[]> embeddings = encoded.idEmbeddings();
        if (embeddings.isEmpty()) {
            throw new JobFailedException(JobFailure.permanent("no_id_images", "the job has no ID photos"), null);
        }
        IdentityScorer scorer = IdentityScorer.of(pipeline, encoded.faceEmbeddings(), job.request());
        GenerationResult result = ctx.phase("denoise", () -> generate(job, embeddings, ctx, recorder));
        if (!scorer.active()) {
            return ctx.phase("decode_upload", () -> store(job.jobId(), result.images().stream()
                    .map(img -> new OutputIdentityCheck.Checked(img, null, 0)).toList()));
        }
        int[] regenerations = {0};
        List<OutputIdentityCheck.Checked> checked = ctx.phase("identity_check", () -> scorer.check(result.images(),
                seed -> regenerate(job, embeddings, seed, regenerations[0]++, ctx)));
        return ctx.phase("decode_upload", () -> store(job.jobId(), checked));
    }

    /** The ID embeddings and face embeddings of the job's stored identities and photos, in that order. */
    private IdentityStore.Embeddings encode(JobMessage job, List<BufferedImage> photos, GenerationRecorder recorder) {
        IdentityStore.Embeddings stored = identities.stackFor(job.request().identityIds(),
                pipeline.manifest().servedModel());
        if (photos.isEmpty()) {
            return stored;
        }
        IdPhotos own;
        try {
            own = pipeline.encodeIdPhotos(photos, recorder);
        } catch (PipelineException e) {
            throw new JobFailedException(new JobFailure(e.type(), e.getMessage(), e.retryable()), e);
        }
        List<float[]> ids = new ArrayList<>(stored.idEmbeddings());
        ids.addAll(own.idEmbeddings());
        List<float[]> faces = new ArrayList<>(stored.faceEmbeddings());
        faces.addAll(own.faceEmbeddings());
        return new IdentityStore.Embeddings(ids, faces);
    }

    /** The {@code nth} extra image for the identity check; its steps are counted after those already done. */
    private GeneratedImage regenerate(JobMessage job, List<float[]> embeddings, long seed, int nth, JobContext ctx) {
        JobRequest r = job.request();
        int done = r.numSteps() * (r.numOutputs() + nth);
        // a regeneration is a generation of its own (one output, its own seed): not part of the job's dump
        var request = toGeneration(r, embeddings, settings.cudaGrid()).withSeed(seed).withNumOutputs(1);
        try {
            return pipeline.generate(request, (step, total) -> ctx.progress(done + step, done + total),
                    ctx::isCancelled).images().get(0);
        } catch (GenerationCanceledException e) {
            throw new JobCanceledException(job.jobId());
        } catch (PipelineException e) {
            throw new JobFailedException(new JobFailure(e.type(), e.getMessage(), e.retryable()), e);
        }
    }

    /** The operator's dump of this attempt, or null; a dump that cannot be opened is logged, not fatal. */
    private TensorDump openDump(JobMessage job, int attempt) {
        if (!settings.dumps(job.jobId())) {
            return null;
        }
        try {
            return TensorDump.create(settings.dumpDirectory(job.jobId(), attempt), true);
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot dump job {}: {}", job.jobId(), e.toString());
            return null;
        }
    }

    private GenerationResult generate(JobMessage job, List<float[]> embeddings, JobContext ctx,
            GenerationRecorder recorder) {
        try {
            return pipeline.generate(toGeneration(job.request(), embeddings, settings.cudaGrid()), ctx::progress,
                    ctx::isCancelled, recorder);
        } catch (GenerationCanceledException e) {
            throw new JobCanceledException(job.jobId());
        } catch (PipelineException e) {
            throw new JobFailedException(new JobFailure(e.type(), e.getMessage(), e.retryable()), e);
        }
    }

    /** The generation a job asks for (defaults filled where a message lacks a field), with this worker's CUDA geometry. */
    static GenerationRequest toGeneration(JobRequest request, List<float[]> embeddings, CudaGrid grid) {
        return GenerationRequest.of(request.withDefaults(ThreadLocalRandom.current().nextLong(0, 1L << 32)),
                embeddings, grid);
    }

    private List<byte[]> fetch(List<JobInput> inputs) {
        List<CompletableFuture<byte[]>> gets = inputs.stream().map(i -> store.get(i.key())).toList();
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < gets.size(); i++) {
            try {
                out.add(gets.get(i).join());
            } catch (CompletionException e) {
                throw storageFailure("fetch ID photo " + (i + 1), e);
            }
        }
        return out;
    }

    private static List<BufferedImage> decode(List<byte[]> photos) {
        List<BufferedImage> images = new ArrayList<>();
        for (int i = 0; i < photos.size(); i++) {
            try {
                images.add(ImageDecoder.decode(photos.get(i), MAX_PIXELS));
            } catch (ImageRejected e) {
                throw new JobFailedException(JobFailure.permanent(e.type(),
                        "ID photo " + (i + 1) + ": " + e.getMessage()), e);
            }
        }
        return images;
    }

    private List<JobOutput> store(String jobId, List<OutputIdentityCheck.Checked> images) {
        List<CompletableFuture<Void>> puts = new ArrayList<>();
        List<JobOutput> outputs = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            GeneratedImage img = images.get(i).image();
            String key = ObjectKeys.output(jobId, i);
            puts.add(store.put(key, img.png(), "image/png"));
            OutputIdentityCheck.Checked checked = images.get(i);
            // generations 0: no identity check ran (no face models), so the output carries no check fields
            outputs.add(checked.generations() == 0 ? new JobOutput(key, img.width(), img.height(), img.seed())
                    : new JobOutput(key, img.width(), img.height(), img.seed(), checked.similarity(),
                            checked.generations()));
        }
        try {
            CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw storageFailure("store outputs", e);
        }
        return outputs;
    }

    static JobFailedException storageFailure(String what, CompletionException e) {
        Throwable c = e.getCause();
        if (c instanceof StorageException se && !se.retryable()) {
            return new JobFailedException(JobFailure.permanent("input_missing", "cannot " + what + ": "
                    + se.getMessage()), se);
        }
        return new JobFailedException(JobFailure.transientFailure("storage_unavailable", "cannot " + what + ": "
                + (c == null ? e.getMessage() : c.getMessage())), c);
    }

    @Override
    public void close() {
        pipeline.close();
    }
}
