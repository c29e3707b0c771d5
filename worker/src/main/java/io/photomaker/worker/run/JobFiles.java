package io.photomaker.worker.run;

import io.photomaker.common.errors.ErrorType;
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
import io.photomaker.worker.output.ImageEncoder;
import io.photomaker.worker.output.OutputFormat;
import io.photomaker.worker.pipeline.GeneratedImage;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A job's files in the object store: its ID photos in (fetched together, decoded with EXIF orientation
 * applied within the photo limits the work item carries, a bad photo a permanent failure naming it) and its outputs out (encoded in the requested format
 * and quality, put under deterministic keys, all puts awaited). Storage errors are retryable failures.
 */
public final class JobFiles {
    private final ObjectStore store;

    public JobFiles(ObjectStore store) {
        this.store = store;
        ImageEncoder.init();
    }

    /** The job's ID photos, decoded within the limits the gateway accepted them under, in order. */
    public List<BufferedImage> readPhotos(List<JobInput> inputs, InputLimits limits) {
        List<CompletableFuture<byte[]>> gets = inputs.stream().map(i -> store.get(i.key())).toList();
        List<BufferedImage> images = new ArrayList<>();
        for (int i = 0; i < gets.size(); i++) {
            byte[] bytes;
            try {
                bytes = gets.get(i).join();
            } catch (CompletionException e) {
                throw PhotoMakerJobHandler.storageFailure("fetch ID photo " + (i + 1), e);
            }
            if (bytes.length > limits.maxImageBytes()) {
                throw new JobFailedException(JobFailure.of(ErrorType.IMAGE_TOO_LARGE, "ID photo " + (i + 1) + " has "
                        + bytes.length + " bytes; at most " + limits.maxImageBytes() + " are accepted"), null);
            }
            try {
                images.add(ImageDecoder.decode(bytes, limits.maxImagePixels()));
            } catch (ImageRejected e) {
                throw new JobFailedException(JobFailure.of(e.errorType(),
                        "ID photo " + (i + 1) + ": " + e.getMessage()), e);
            } catch (DecodeBudget.Busy e) {
                throw new JobFailedException(JobFailure.of(ErrorType.WORKER_BUSY,
                        "the worker could not decode ID photo " + (i + 1) + " yet"), e);
            }
        }
        return images;
    }

    /**
     * Encodes each image in the job's format and stores it; returns the outputs (with their identity check,
     * when one ran) once every put is done.
     */
    public List<JobOutput> writeOutputs(JobMessage job, List<OutputIdentityCheck.Checked> images) {
        OutputFormat format = OutputFormat.of(job.request().outputFormat());
        int quality = job.request().outputQuality() == null ? JobRequest.DEFAULT_OUTPUT_QUALITY
                : job.request().outputQuality();
        List<CompletableFuture<Void>> puts = new ArrayList<>();
        List<JobOutput> outputs = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            OutputIdentityCheck.Checked checked = images.get(i);
            GeneratedImage img = checked.image();
            String key = ObjectKeys.output(job.jobId(), i, format.extension());
            puts.add(store.put(key, ImageEncoder.encode(img.image(), format, quality), format.contentType()));
            // generations 0: no identity check ran (no face models), so the output carries no check fields
            outputs.add(checked.generations() == 0 ? new JobOutput(key, img.width(), img.height(), img.seed())
                    : new JobOutput(key, img.width(), img.height(), img.seed(), checked.similarity(),
                            checked.generations()));
        }
        try {
            CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new)).join();
        } catch (CompletionException e) {
            throw PhotoMakerJobHandler.storageFailure("store outputs", e);
        }
        return outputs;
    }
}
