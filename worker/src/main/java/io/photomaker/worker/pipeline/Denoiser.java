package io.photomaker.worker.pipeline;

import io.photomaker.worker.onnx.Unet;
import io.photomaker.worker.pipeline.guidance.ClassifierFreeGuidance;
import io.photomaker.worker.pipeline.guidance.SdxlConditioning;
import io.photomaker.worker.pipeline.schedule.Scheduler;
import io.photomaker.worker.stop.StopSignal;

/**
 * The denoising loop of a group of output images of one request, in step: delayed subject conditioning
 * (text-only prompt up to the merge step, the ID-fused prompt after it), one UNet prediction per step for
 * the whole group, then per output classifier-free guidance and its own scheduler's step. Each output
 * keeps its own latents, noise and scheduler state, so a group gives exactly the images its outputs give
 * alone. Buffers are reused across steps and across groups of the same size.
 */
final class Denoiser {

    /** Progress and stop checks over all images of a request. */
    static final class Steps {
        private final ProgressListener listener;
        private final StopSignal stop;
        private final int total;
        private int done;

        Steps(ProgressListener listener, StopSignal stop, int total) {
            this.listener = listener == null ? ProgressListener.NONE : listener;
            this.stop = stop == null ? StopSignal.NONE : stop;
            this.total = total;
        }

        void checkStopped() {
            stop.check(done);
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
    private float[][] modelInputs = new float[0][];
    private float[][] noiseUncond = new float[0][];
    private float[][] noiseCond = new float[0][];
    private float[] guidedNoise = new float[0];

    Denoiser(Unet unet) {
        this.unet = unet;
    }

    /**
     * Denoises each of {@code latents} (one output's initial noise each, already scaled) in place, output o
     * stepped by {@code schedulers[o]}; all schedulers share one timestep schedule. The group's outputs are
     * {@code firstOutput ..}; {@code recorder} hears of each step before its UNet call.
     */
    void denoise(float[][] latents, int latentHeight, int latentWidth, Scheduler[] schedulers, Settings settings,
            Steps steps, int firstOutput, GenerationRecorder recorder) {
        int outputs = latents.length;
        ensureBuffers(outputs, latents[0].length);
        unet.prepare(latentHeight, latentWidth, settings.guided(), outputs);
        PromptConditioning prompts = settings.prompts();
        if (settings.guided()) {
            unet.setBranch(Unet.Branch.UNCONDITIONAL, prompts.negativePrompt(), prompts.negativePooled(), settings.timeIds());
        }
        Scheduler clock = schedulers[0];
        Boolean usingId = null;
        for (int i = 0; i < clock.stepCount(); i++) {
            steps.checkStopped();
            boolean useId = SdxlConditioning.useIdEmbeddings(i, settings.startMergeStep());
            if (usingId == null || usingId != useId) {
                // the conditional branch switches from the text-only prompt to the ID prompt once
                unet.setBranch(Unet.Branch.CONDITIONAL, useId ? prompts.idPrompt() : prompts.textOnlyPrompt(),
                        useId ? prompts.idPooled() : prompts.textOnlyPooled(), settings.timeIds());
                usingId = useId;
            }
            for (int o = 0; o < outputs; o++) {
                schedulers[o].scaleModelInput(latents[o], i, modelInputs[o]);
            }
            recorder.step(firstOutput, outputs, i, clock.timestep(i), useId);
            unet.predict(modelInputs, clock.timestep(i), noiseUncond, noiseCond);
            for (int o = 0; o < outputs; o++) {
                float[] noise = noiseCond[o];
                if (settings.guided()) {
                    ClassifierFreeGuidance.combine(noiseUncond[o], noiseCond[o], settings.guidanceScale(),
                            settings.guidanceRescale(), guidedNoise);
                    noise = guidedNoise;
                }
                schedulers[o].step(noise, i, latents[o]);
                steps.stepDone();
            }
        }
    }

    private void ensureBuffers(int outputs, int size) {
        if (modelInputs.length != outputs || guidedNoise.length != size) {
            modelInputs = new float[outputs][size];
            noiseUncond = new float[outputs][size];
            noiseCond = new float[outputs][size];
            guidedNoise = new float[size];
        }
    }
}
