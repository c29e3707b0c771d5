package io.photomaker.worker.pipeline;

import io.photomaker.worker.onnx.Unet;
import io.photomaker.worker.pipeline.guidance.ClassifierFreeGuidance;
import io.photomaker.worker.pipeline.guidance.SdxlConditioning;
import io.photomaker.worker.pipeline.schedule.Scheduler;

/**
 * The denoising loop of one output image: delayed subject conditioning (text-only prompt up to the merge
 * step, the ID-fused prompt after it), one UNet prediction per step, classifier-free guidance, scheduler
 * step. Buffers are reused across steps and across images of the same size.
 */
final class Denoiser {

    /** Progress and cancellation over all images of a request. */
    static final class Steps {
        private final ProgressListener listener;
        private final CancellationToken cancellation;
        private final int total;
        private int done;

        Steps(ProgressListener listener, CancellationToken cancellation, int total) {
            this.listener = listener == null ? ProgressListener.NONE : listener;
            this.cancellation = cancellation == null ? CancellationToken.NONE : cancellation;
            this.total = total;
        }

        void checkCancelled() {
            if (cancellation.isCancelled()) {
                throw new GenerationCanceledException(done);
            }
        }

        void stepDone() {
            done++;
            listener.onStep(done, total);
        }
    }

    /** What stays the same for every image of a request. */
    record Settings(PromptConditioning prompts, float[] timeIds, int startMergeStep, boolean guided,
            float guidanceScale, float guidanceRescale) {
    }

    private final Unet unet;
    private float[] modelInput = new float[0];
    private float[] noiseUncond = new float[0];
    private float[] noiseCond = new float[0];
    private float[] guidedNoise = new float[0];

    Denoiser(Unet unet) {
        this.unet = unet;
    }

    /**
     * Denoises {@code latents} (initial noise, already scaled) of output {@code output} in place over the
     * scheduler's steps, telling {@code recorder} about each step before its UNet call.
     */
    void denoise(float[] latents, int latentHeight, int latentWidth, Scheduler scheduler, Settings settings, Steps steps,
            int output, GenerationRecorder recorder) {
        ensureBuffers(latents.length);
        unet.prepare(latentHeight, latentWidth, settings.guided());
        PromptConditioning prompts = settings.prompts();
        if (settings.guided()) {
            unet.setBranch(Unet.Branch.UNCONDITIONAL, prompts.negativePrompt(), prompts.negativePooled(), settings.timeIds());
        }
        Boolean usingId = null;
        for (int i = 0; i < scheduler.stepCount(); i++) {
            steps.checkCancelled();
            boolean useId = SdxlConditioning.useIdEmbeddings(i, settings.startMergeStep());
            if (usingId == null || usingId != useId) {
                // the conditional branch switches from the text-only prompt to the ID prompt once
                unet.setBranch(Unet.Branch.CONDITIONAL, useId ? prompts.idPrompt() : prompts.textOnlyPrompt(),
                        useId ? prompts.idPooled() : prompts.textOnlyPooled(), settings.timeIds());
                usingId = useId;
            }
            scheduler.scaleModelInput(latents, i, modelInput);
            recorder.step(output, i, scheduler.timestep(i), useId);
            unet.predict(modelInput, scheduler.timestep(i), noiseUncond, noiseCond);
            float[] noise = noiseCond;
            if (settings.guided()) {
                ClassifierFreeGuidance.combine(noiseUncond, noiseCond, settings.guidanceScale(),
                        settings.guidanceRescale(), guidedNoise);
                noise = guidedNoise;
            }
            scheduler.step(noise, i, latents);
            steps.stepDone();
        }
    }

    private void ensureBuffers(int size) {
        if (modelInput.length != size) {
            modelInput = new float[size];
            noiseUncond = new float[size];
            noiseCond = new float[size];
            guidedNoise = new float[size];
        }
    }
}
