package io.photomaker.worker.run;

import io.photomaker.common.errors.ErrorType;
import io.photomaker.common.job.JobFailure;
import io.photomaker.common.job.JobMessage;
import io.photomaker.common.job.JobRequest;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.common.storage.StorageException;
import io.photomaker.worker.pipeline.GeneratedImage;
import io.photomaker.worker.pipeline.GenerationRequest;
import io.photomaker.worker.pipeline.GenerationResult;
import io.photomaker.worker.pipeline.IdPhotos;
import io.photomaker.worker.pipeline.PhotoMakerPipeline;
import io.photomaker.worker.pipeline.PipelineException;
import io.photomaker.worker.pipeline.PreparedIdImages;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Runs a job through the PhotoMaker pipeline in the three phases of {@link JobHandler}. CPU: fetch the ID
 * photos, decode them (EXIF orientation applied), prepare the ID encoder's input and read stored identities.
 * Device: encode the ID embeddings (photomaker-v2: only photos with a face; none at all fails the job with
 * {@code no_face_detected}), generate, and check each output's identity similarity when the models include the
 * face models ({@link OutputIdentityCheck}). CPU: encode each output in the requested format and store it
 * under its deterministic key. Bad input fails permanently; storage and runtime errors are retryable. Photos
 * are decoded within the limits the gateway accepted them under (they travel with the work item); failure
 * messages name what failed, never storage details.
 */
public final class PhotoMakerJobHandler implements JobHandler, AutoCloseable {

    private final PhotoMakerPipeline pipeline;
    private final IdentityStore identities;
    private final JobFiles files;

    public PhotoMakerJobHandler(PhotoMakerPipeline pipeline, ObjectStore store) {
        this.pipeline = pipeline;
        this.identities = new IdentityStore(store);
        this.files = new JobFiles(store);
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
        IdentityStore.Embeddings encoded = ctx.phase("encode_id", () -> encode(inputs));
        List<float[]> embeddings = encoded.idEmbeddings();
        if (embeddings.isEmpty()) {
            throw new JobFailedException(JobFailure.of(ErrorType.NO_ID_IMAGES, "the job has no ID photos"), null);
        }
        IdentityScorer scorer = IdentityScorer.of(pipeline, encoded.faceEmbeddings(), job.request());
        GenerationResult result = ctx.phase("denoise", () -> pipelineCall(() ->
                pipeline.generate(toGeneration(job.request(), embeddings), ctx::progress, ctx.stop())));
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
    private IdentityStore.Embeddings encode(Inputs inputs) {
        if (inputs.photos() == null) {
            return inputs.stored();
        }
        IdPhotos own = pipelineCall(() -> pipeline.encodeIdPhotos(inputs.photos()));
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
        var request = toGeneration(r, embeddings).withSeed(seed).withNumOutputs(1);
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

    static GenerationRequest toGeneration(JobRequest r, List<float[]> embeddings) {
        return new GenerationRequest(r.prompt(), r.negativePrompt(), r.style(), r.numSteps(), r.guidanceScale(),
                r.guidanceRescale(), r.styleStrength(), r.seed(), r.width(), r.height(), r.numOutputs(),
                r.scheduler(), embeddings);
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
