package io.photomaker.devtools.bench.worker;

import io.photomaker.common.job.JobMessage;
import io.photomaker.common.job.JobRequest;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.worker.pipeline.GeneratedImage;
import io.photomaker.worker.pipeline.UnetBatchPlan;
import io.photomaker.worker.pipeline.guidance.ClassifierFreeGuidance;
import io.photomaker.worker.pipeline.image.ClipImagePreprocessor;
import io.photomaker.worker.pipeline.schedule.GaussianNoise;
import io.photomaker.worker.pipeline.schedule.Scheduler;
import io.photomaker.worker.pipeline.schedule.SchedulerConfig;
import io.photomaker.worker.pipeline.schedule.Schedulers;
import io.photomaker.worker.run.JobContext;
import io.photomaker.worker.run.JobFiles;
import io.photomaker.worker.run.JobHandler;
import io.photomaker.worker.run.OutputIdentityCheck;
import java.awt.image.BufferedImage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The worker's job handler with the networks replaced by a {@link SimulatedDevice}; everything else is
 * the real thing. CPU phase: the ID photos fetched from S3, decoded and CLIP-preprocessed. Device phase: ID
 * encoding (a device hold), then per step the scheduler's input scaling, one UNet call for a group of
 * outputs (a hold of 40 ms per output, classifier-free guidance included), guidance and the scheduler step
 * in Java as the pipeline does them; then one VAE decode per output (a hold, whose kernel makes the
 * 1024x1024 picture). CPU phase: the outputs encoded in the requested format and uploaded.
 */
final class SimulatedPhotoMakerHandler implements JobHandler {
    private static final int CHANNELS = 4;
    private static final int SCALE = 8;
    private static final int ID_SIZE = 224;

    private final JobFiles files;
    private final SimulatedDevice device;
    private final UnetBatchPlan batchPlan;

    SimulatedPhotoMakerHandler(ObjectStore store, SimulatedDevice device, UnetBatchPlan batchPlan) {
        this.files = new JobFiles(store);
        this.device = device;
        this.batchPlan = batchPlan;
    }

    @Override
    public Prepared prepare(JobMessage job, JobContext ctx) {
        List<BufferedImage> photos = files.readPhotos(job.inputs(), job.limits());
        float[] idPixels = new float[photos.size() * 3 * ID_SIZE * ID_SIZE];
        for (int i = 0; i < photos.size(); i++) {
            ClipImagePreprocessor.toTensor(photos.get(i), ID_SIZE, idPixels, i * 3 * ID_SIZE * ID_SIZE);
        }
        return deviceCtx -> {
            device.hold(device.timings().idEncode(), true, () -> { });
            List<GeneratedImage> images = generate(job.request(), deviceCtx);
            return storeCtx -> files.writeOutputs(job, images.stream()
                    .map(img -> new OutputIdentityCheck.Checked(img, null, 0)).toList());
        };
    }

    private List<GeneratedImage> generate(JobRequest r, JobContext ctx) {
        int height = r.height() / SCALE;
        int width = r.width() / SCALE;
        int group = batchPlan.outputsPerCall(height, width, Integer.MAX_VALUE);
        List<GeneratedImage> images = new ArrayList<>();
        int[] done = {0};
        for (int first = 0; first < r.numOutputs(); first += group) {
            int count = Math.min(group, r.numOutputs() - first);
            float[][] latents = denoise(r, first, count, height * width * CHANNELS, ctx, done);
            for (int o = 0; o < count; o++) {
                ctx.stop().check(done[0]);
                float[] latent = latents[o];
                float[][] pixels = new float[1][];
                device.hold(device.timings().vaeDecode(), false, () -> pixels[0] = picture(latent, height, width));
                images.add(new GeneratedImage(pixels[0], r.width(), r.height(), r.seed() + first + o));
            }
        }
        return images;
    }

    private float[][] denoise(JobRequest r, int first, int count, int size, JobContext ctx, int[] done) {
        float[][] latents = new float[count][size];
        float[][] input = new float[count][size];
        float[][] uncond = new float[count][size];
        float[][] cond = new float[count][size];
        float[] guided = new float[size];
        Scheduler[] schedulers = new Scheduler[count];
        for (int o = 0; o < count; o++) {
            GaussianNoise noise = new GaussianNoise(r.seed() + first + o);
            schedulers[o] = Schedulers.create(r.scheduler(), SchedulerConfig.sdxl(), r.numSteps(), noise);
            float[] draw = new float[size];
            noise.fill(draw);
            schedulers[o].initLatents(draw, latents[o]);
        }
        Duration unet = device.timings().unetPerGuidedOutput().multipliedBy(count);
        int total = r.numSteps() * r.numOutputs();
        for (int i = 0; i < schedulers[0].stepCount(); i++) {
            ctx.stop().check(done[0]);
            for (int o = 0; o < count; o++) {
                schedulers[o].scaleModelInput(latents[o], i, input[o]);
            }
            device.hold(unet, false, () -> predict(input, uncond, cond));
            for (int o = 0; o < count; o++) {
                ClassifierFreeGuidance.combine(uncond[o], cond[o], r.guidanceScale().floatValue(),
                        r.guidanceRescale().floatValue(), guided);
                schedulers[o].step(guided, i, latents[o]);
                ctx.progress(++done[0], total);
            }
        }
        return latents;
    }

    /** The "UNet kernel": a noise prediction near the input, as a trained model's is. */
    private static void predict(float[][] input, float[][] uncond, float[][] cond) {
        for (int o = 0; o < input.length; o++) {
            for (int k = 0; k < input[o].length; k++) {
                cond[o][k] = 0.9f * input[o][k];
                uncond[o][k] = 0.8f * input[o][k];
            }
        }
    }

    /**
     * The "VAE kernel": a smooth picture interpolated from the latents with a little fine grain, so that it
     * costs the encoders about what a photograph does.
     */
    private static float[] picture(float[] latent, int height, int width) {
        int h = height * SCALE;
        int w = width * SCALE;
        float[] chw = new float[3 * h * w];
        long grain = 0x9E3779B97F4A7C15L;
        for (int c = 0; c < 3; c++) {
            int plane = c * height * width;
            for (int y = 0; y < h; y++) {
                float fy = Math.min(height - 1.001f, y / (float) SCALE);
                int y0 = (int) fy;
                float ty = fy - y0;
                for (int x = 0; x < w; x++) {
                    float fx = Math.min(width - 1.001f, x / (float) SCALE);
                    int x0 = (int) fx;
                    float tx = fx - x0;
                    int i = plane + y0 * width + x0;
                    float v = (1 - ty) * ((1 - tx) * latent[i] + tx * latent[i + 1])
                            + ty * ((1 - tx) * latent[i + width] + tx * latent[i + width + 1]);
                    grain ^= grain << 13;
                    grain ^= grain >>> 7;
                    grain ^= grain << 17;
                    chw[c * h * w + y * w + x] = Math.max(-1f, Math.min(1f, 0.1f * v)) + (grain % 5) / 255f;
                }
            }
        }
        return chw;
    }
}
