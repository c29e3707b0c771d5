package io.photomaker.worker.run;

import io.photomaker.common.errors.ErrorType;
import io.photomaker.common.job.JobFailure;
import io.photomaker.common.job.JobMessage;
import io.photomaker.common.job.JobRequest;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.common.storage.StorageException;
import io.photomaker.worker.pipeline.GeneratedImage;
import io.photomaker.worker.pipeline.GenerationRecorder;
import io.photomaker.worker.pipeline.GenerationRequest;
import io.photomaker.worker.pipeline.GenerationResult;
import io.photomaker.worker.pipeline.IdPhotos;
import io.photomaker.worker.pipeline.PhotoMakerPipeline;
import io.photomaker.worker.pipeline.PipelineException;
import io.photomaker.worker.pipeline.PreparedIdImages;
import io.photomaker.worker.pipeline.dump.TensorDump;
import io.photomaker.worker.pipeline.noise.CudaGrid;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a job through the PhotoMaker pipeline in the three phases of {@link JobHandler}. CPU: fetch the ID
 * photos, decode them (EXIF orientation applied), prepare the ID encoder's input and read stored identities.
 * Device: encode the ID embeddings (photomaker-v2: only photos with a face; none at all fails the job with
 * {@code no_face_detected}), generate, and check each output's identity similarity when the models include the
 * face models ({@link OutputIdentityCheck}). CPU: encode each output in the requested format and store it
 * under its deterministic key. Bad input fails permanently; storage and runtime errors are retryable. Photos
 * are decoded within the limits the gateway accepted them under (they travel with the work item); failure
 * messages name what failed, never storage details. Jobs the operator named in {@link GenerationSettings} have
 * their device phase dumped tensor by tensor.
 */
public final class PhotoMakerJobHandler implements JobHandler, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PhotoMakerJobHandler.class);

    private final PhotoMakerPipeline pipeline;
    private final IdentityStore identities;
    private final JobFiles files;
    private final GenerationSettings settings;

    public PhotoMakerJobHandler(PhotoMakerPipeline pipeline, ObjectStore store) {
        this(pipeline, store, GenerationSettings.defaults());
    }

    public PhotoMakerJobHandler(PhotoMakerPipeline pipeline, ObjectStore store, GenerationSettings settings) {
        this.pipeline = pipeline;
        this.identities = new IdentityStore(store);
        this.files = new JobFiles(store);
        this.settings = settings;
    }

    public PhotoMakerPipeline pipeline() {
        return pipeline;
    }

    /** What the CPU phase made ready: stored identities' embeddings and the photos' encoder input. */
    private record Inputs(IdentityStore.Embeddings stored, PreparedIdImages photos) {
    }

    /**
     * Phases as the trace shows them: {@code download_inputs} (fetch, decode and prepare the ID photos, read
     * stored identities), {@code encode_id} (ID embeddings), {@code denoise} (prompt encoding, the denoising
     * loop and the VAE decode), {@code identity_check} (output faces, and regenerations below
     * min_identity_similarity; only with face models), {@code decode_upload} (image files and their upload).
     */
    @Override
    public Prepared prepare(JobMessage job, JobContext ctx) {
        Inputs inputs = ctx.phase("download_inputs", () -> new Inputs(
                identities.stackFor(job.request().identityIds(), pipeline.manifest().servedModel()),
                job.inputs().isEmpty() ? null : pipelineCall(() -> pipeline.prepareIdImages(
                        files.readPhotos(job.inputs(), job.limits())))));
        if (inputs.stored().idEmbeddings().isEmpty() && inputs.photos() == null) {
            throw new JobFailedException(JobFailure.of(ErrorType.NO_ID_IMAGES, "the job has no ID photos"), null);
        }
        return deviceCtx -> generate(job, inputs, deviceCtx);
    }

    private Generated generate(JobMessage job, Inputs inputs, JobContext ctx) {
        TensorDump dump = openDump(job, ctx.attempt());
        try {
            return generate(job, inputs, ctx, dump == null ? GenerationRecorder.NONE : dump);
        } finally {
            if (dump != null) {
                dump.close();
                dump.failure().ifPresentOrElse(
                        e -> LOG.warn("tensor dump of job {} in {} stopped: {}", job.jobId(), dump.directory(), e.toString()),
                        () -> LOG.info("tensor dump of job {} written to {}", job.jobId(), dump.directory()));
            }
        }
    }

    private Generated generate(JobMessage job, Inputs inputs, JobContext ctx, GenerationRecorder recorder) {
        IdentityStore.Embeddings encoded = ctx.phase("encode_id", () -> encode(inputs, recorder));
        List<float[]> embeddings = encoded.idEmbeddings();
        if (embeddings.isEmpty()) {
            throw new JobFailedException(JobFailure.of(ErrorType.NO_ID_IMAGES, "the job has no ID photos"), null);
        }
        IdentityScorer scorer = IdentityScorer.of(pipeline, encoded.faceEmbeddings(), job.request());
        GenerationResult result = ctx.phase("denoise", () -> pipelineCall(() -> pipeline.generate(
                toGeneration(job.request(), embeddings, settings.cudaGrid()), ctx::progress, ctx.stop(), recorder)));
        if (!scorer.active()) {
            List<OutputIdentityCheck.Checked> unchecked = result.images().stream()
                    .map(img -> new OutputIdentityCheck.Checked(img, null, 0)).toList();
            return storeCtx -> storeCtx.phase("decode_upload", () -> files.writeOutputs(job, unchecked));
        }
        int[] regenerations = {0};
        List<OutputIdentityCheck.Checked> checked = ctx.phase("identity_check", () -> scorer.check(result.images(),
                seed -> regenerate(job, embeddings, seed, regenerations[0]++, ctx)));
        return storeCtx -> storeCtx.phase("decode_upload", () -> files.writeOutputs(job, checked));
    }

    /** The ID embeddings and face embeddings of the job's stored identities and photos, in that order. */
    private IdentityStore.Embeddings encode(Inputs inputs, GenerationRecorder recorder) {
        if (inputs.photos() == null) {
            return inputs.stored();
        }
        IdPhotos own = pipelineCall(() -> pipeline.encodeIdPhotos(inputs.photos(), recorder));
        List<float[]> ids = new ArrayList<>(inputs.stored().idEmbeddings());
        ids.addAll(own.idEmbeddings());
        List<float[]> faces = new ArrayList<>(inputs.stored().faceEmbeddings());
        faces.addAll(own.faceEmbeddings());
        return new IdentityStore.Embeddings(ids, faces);
    }

    /** The {@code nth} extra image for the identity check; its steps are counted after those already done. */
    private GeneratedImage regenerate(JobMessage job, List<float[]> embeddings, long seed, int nth, JobContext ctx) {
        JobRequest r = job.request();
        int done = r.numSteps() * (r.numOutputs() + nth);
        // a regeneration is a generation of its own (one output, its own seed): not part of the job's dump
        var request = toGeneration(r, embeddings, settings.cudaGrid()).withSeed(seed).withNumOutputs(1);
        return pipelineCall(() -> pipeline.generate(request, (step, total) -> ctx.progress(done + step, done + total),
                ctx.stop()).images().get(0));
    }

    /** Runs a pipeline call, turning its typed failures into the job's. */
    private static <T> T pipelineCall(Supplier<T> call) {
        try {
            return call.get();
        } catch (PipelineException e) {
            throw new JobFailedException(JobFailure.of(e.errorType(), e.getMessage(), e.retryable()), e);
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

    /** The generation a job asks for (defaults filled where a message lacks a field), with this worker's CUDA geometry. */
    static GenerationRequest toGeneration(JobRequest request, List<float[]> embeddings, CudaGrid grid) {
        return GenerationRequest.of(request.withDefaults(ThreadLocalRandom.current().nextLong(0, 1L << 32)),
                embeddings, grid);
    }

    /**
     * The failure for a storage error while doing {@code what}: the client learns what could not be done, the
     * worker's log (through the cause) learns why; keys, buckets and endpoints stay out of the message.
     */
    static JobFailedException storageFailure(String what, CompletionException e) {
        Throwable c = e.getCause();
        if (c instanceof StorageException se && !se.retryable()) {
            return new JobFailedException(JobFailure.of(ErrorType.INPUT_MISSING, "cannot " + what
                    + ": it is no longer stored"), se);
        }
        return new JobFailedException(JobFailure.of(ErrorType.STORAGE_UNAVAILABLE, "cannot " + what
                + ": the object store did not answer"), c == null ? e : c);
    }

    @Override
    public void close() {
        pipeline.close();
    }
}
