package io.photomaker.worker.run;

import io.photomaker.common.image.DecodeBudget;
import io.photomaker.common.image.ImageDecoder;
import io.photomaker.common.image.ImageRejected;
import io.photomaker.common.job.InputLimits;
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
import io.photomaker.worker.pipeline.GenerationRequest;
import io.photomaker.worker.pipeline.GenerationResult;
import io.photomaker.worker.pipeline.IdPhotos;
import io.photomaker.worker.pipeline.PhotoMakerPipeline;
import io.photomaker.worker.pipeline.PipelineException;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Runs a job through the PhotoMaker pipeline: fetches the ID photos, decodes them (EXIF orientation
 * applied) within the limits the gateway accepted them under (they travel with the work item), encodes their
 * ID embeddings (photomaker-v2: only photos with a face; none at all fails the job with
 * {@code no_face_detected}), generates, checks each output's identity similarity when the models include the
 * face models ({@link OutputIdentityCheck}), and stores each PNG under its deterministic key. Bad input fails
 * permanently; storage and runtime errors are retryable. Failure messages name what failed, never storage details.
 */
public final class PhotoMakerJobHandler implements JobHandler, AutoCloseable {
    private final PhotoMakerPipeline pipeline;
    private final ObjectStore store;
    private final IdentityStore identities;

    public PhotoMakerJobHandler(PhotoMakerPipeline pipeline, ObjectStore store) {
        this.pipeline = pipeline;
        this.store = store;
        this.identities = new IdentityStore(store);
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
        List<BufferedImage> photos = job.inputs().isEmpty() ? List.of()
                : ctx.phase("download_inputs", () -> decode(fetch(job.inputs()), job.limits()));
        IdentityStore.Embeddings encoded = ctx.phase("encode_id", () -> encode(job, photos));
        List<float[]> embeddings = encoded.idEmbeddings();
        if (embeddings.isEmpty()) {
            throw new JobFailedException(JobFailure.permanent("no_id_images", "the job has no ID photos"), null);
        }
        IdentityScorer scorer = IdentityScorer.of(pipeline, encoded.faceEmbeddings(), job.request());
        GenerationResult result = ctx.phase("denoise", () -> generate(job, embeddings, ctx));
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
    private IdentityStore.Embeddings encode(JobMessage job, List<BufferedImage> photos) {
        IdentityStore.Embeddings stored = identities.stackFor(job.request().identityIds(),
                pipeline.manifest().servedModel());
        if (photos.isEmpty()) {
            return stored;
        }
        IdPhotos own;
        try {
            own = pipeline.encodeIdPhotos(photos);
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
        var request = toGeneration(r, embeddings).withSeed(seed).withNumOutputs(1);
        try {
            return pipeline.generate(request, (step, total) -> ctx.progress(done + step, done + total),
                    ctx::isCancelled).images().get(0);
        } catch (GenerationCanceledException e) {
            throw new JobCanceledException(job.jobId());
        } catch (PipelineException e) {
            throw new JobFailedException(new JobFailure(e.type(), e.getMessage(), e.retryable()), e);
        }
    }

    private GenerationResult generate(JobMessage job, List<float[]> embeddings, JobContext ctx) {
        try {
            return pipeline.generate(toGeneration(job.request(), embeddings), ctx::progress, ctx::isCancelled);
        } catch (GenerationCanceledException e) {
            throw new JobCanceledException(job.jobId());
        } catch (PipelineException e) {
            throw new JobFailedException(new JobFailure(e.type(), e.getMessage(), e.retryable()), e);
        }
    }

    static GenerationRequest toGeneration(JobRequest r, List<float[]> embeddings) {
        return new GenerationRequest(r.prompt(), r.negativePrompt(), r.style(), r.numSteps(), r.guidanceScale(),
                r.guidanceRescale(), r.styleStrength(), r.seed(), r.width(), r.height(), r.numOutputs(),
                r.scheduler(), embeddings);
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

    private static List<BufferedImage> decode(List<byte[]> photos, InputLimits limits) {
        List<BufferedImage> images = new ArrayList<>();
        for (int i = 0; i < photos.size(); i++) {
            if (photos.get(i).length > limits.maxImageBytes()) {
                throw new JobFailedException(JobFailure.permanent("image_too_large", "ID photo " + (i + 1) + " has "
                        + photos.get(i).length + " bytes; at most " + limits.maxImageBytes() + " are accepted"), null);
            }
            try {
                images.add(ImageDecoder.decode(photos.get(i), limits.maxImagePixels()));
            } catch (ImageRejected e) {
                throw new JobFailedException(JobFailure.permanent(e.type(),
                        "ID photo " + (i + 1) + ": " + e.getMessage()), e);
            } catch (DecodeBudget.Busy e) {
                throw new JobFailedException(JobFailure.transientFailure("worker_busy",
                        "the worker could not decode ID photo " + (i + 1) + " yet"), e);
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

    /**
     * The failure for a storage error while doing {@code what}: the client learns what could not be done, the
     * worker's log (through the cause) learns why; keys, buckets and endpoints stay out of the message.
     */
    static JobFailedException storageFailure(String what, CompletionException e) {
        Throwable c = e.getCause();
        if (c instanceof StorageException se && !se.retryable()) {
            return new JobFailedException(JobFailure.permanent("input_missing", "cannot " + what
                    + ": it is no longer stored"), se);
        }
        return new JobFailedException(JobFailure.transientFailure("storage_unavailable", "cannot " + what
                + ": the object store did not answer"), c == null ? e : c);
    }

    @Override
    public void close() {
        pipeline.close();
    }
}
