package io.photomaker.worker.run;

import io.photomaker.common.job.JobFailure;
import io.photomaker.common.job.JobMessage;
import io.photomaker.common.job.JobRequest;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.common.storage.StorageException;
import io.photomaker.worker.pipeline.GenerationRequest;
import io.photomaker.worker.pipeline.GenerationResult;
import io.photomaker.worker.pipeline.PhotoMakerPipeline;
import io.photomaker.worker.pipeline.PipelineException;
import io.photomaker.worker.pipeline.PreparedIdImages;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * Runs a job through the PhotoMaker pipeline in the three phases of {@link JobHandler}: fetch the ID
 * photos, decode them (EXIF orientation applied), prepare the ID encoder's input and read stored
 * identities (CPU); encode the ID embeddings and generate (device); encode each output in the requested
 * format and store it under its deterministic key (CPU). Bad input fails permanently; storage and runtime
 * errors are retryable.
 */
public final class PhotoMakerJobHandler implements JobHandler, AutoCloseable {
    /** Largest photo the worker decodes, matching the gateway's limit. */
    public static final long MAX_PIXELS = 40_000_000L;

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

    /**
     * Phases as the trace shows them: {@code download_inputs} (fetch and decode the ID photos, read stored
     * identities), {@code encode_id} (ID embeddings), {@code denoise} (prompt encoding, the denoising loop
     * and the VAE decode), {@code decode_upload} (image files and their upload).
     */
    @Override
    public Prepared prepare(JobMessage job, JobContext ctx) {
        Inputs inputs = ctx.phase("download_inputs", () -> new Inputs(
                identities.embeddingsFor(job.request().identityIds()),
                job.inputs().isEmpty() ? null : pipeline.prepareIdImages(files.readPhotos(job.inputs()))));
        if (inputs.stored().isEmpty() && inputs.photos() == null) {
            throw new JobFailedException(JobFailure.permanent("no_id_images", "the job has no ID photos"), null);
        }
        return deviceCtx -> generate(job, inputs, deviceCtx);
    }

    /** What the CPU phase made ready: stored identities' embeddings and the photos' encoder input. */
    private record Inputs(List<float[]> stored, PreparedIdImages photos) {
    }

    private Generated generate(JobMessage job, Inputs inputs, JobContext ctx) {
        List<float[]> embeddings = ctx.phase("encode_id", () -> {
            List<float[]> all = new ArrayList<>(inputs.stored());
            if (inputs.photos() != null) {
                all.addAll(pipeline.encodeIdImages(inputs.photos()));
            }
            return all;
        });
        GenerationResult result = ctx.phase("denoise", () -> {
            try {
                return pipeline.generate(toGeneration(job.request(), embeddings), ctx::progress, ctx.stop());
            } catch (PipelineException e) {
                throw new JobFailedException(new JobFailure(e.type(), e.getMessage(), e.retryable()), e);
            }
        });
        return storeCtx -> storeCtx.phase("decode_upload", () -> files.writeOutputs(job, result.images()));
    }

    static GenerationRequest toGeneration(JobRequest r, List<float[]> embeddings) {
        return new GenerationRequest(r.prompt(), r.negativePrompt(), r.style(), r.numSteps(), r.guidanceScale(),
                r.guidanceRescale(), r.styleStrength(), r.seed(), r.width(), r.height(), r.numOutputs(),
                r.scheduler(), embeddings);
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
