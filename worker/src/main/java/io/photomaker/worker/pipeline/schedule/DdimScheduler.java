package io.photomaker.worker.pipeline.schedule;

import io.photomaker.common.job.SchedulerName;

/**
 * Deterministic DDIM sampling (Song et al. 2021, eq. 12 with eta = 0), matching diffusers' {@code DDIMScheduler}
 * built from the model's config: {@code set_alpha_to_one} decides whether the step after the last timestep uses
 * alpha-bar 1 or that of training timestep 0 (SDXL: false), {@code clip_sample} clamps the predicted original
 * sample to {@code clip_sample_range} (SDXL: off). The previous timestep is {@code t - T/steps} as in diffusers.
 */
public final class DdimScheduler implements Scheduler {

    private final TrainingSchedule schedule;
    private int[] timesteps = new int[0];
    /** Per step: sqrt(1 - alpha-bar_t), sqrt(alpha-bar_t), sqrt(alpha-bar_prev), sqrt(1 - alpha-bar_prev). */
    private float[] sqrtOneMinusAlpha = new float[0];
    private float[] sqrtAlpha = new float[0];
    private float[] sqrtAlphaPrev = new float[0];
    private float[] directionScale = new float[0];

    /** A scheduler for {@code config}; call {@link #setTimesteps} before use. */
    public DdimScheduler(SchedulerConfig config) {
        this.schedule = new TrainingSchedule(config);
    }

    @Override
    public void setTimesteps(int steps) {
        timesteps = schedule.integerTimesteps(steps);
        int stride = schedule.trainSteps() / steps;
        float finalAlphaCumprod = schedule.config.setAlphaToOne() ? 1f : schedule.alphasCumprod[0];
        sqrtOneMinusAlpha = new float[steps];
        sqrtAlpha = new float[steps];
        sqrtAlphaPrev = new float[steps];
        directionScale = new float[steps];
        for (int i = 0; i < steps; i++) {
            float alpha = schedule.alphasCumprod[timesteps[i]];
            int previous = timesteps[i] - stride;
            float alphaPrev = previous >= 0 ? schedule.alphasCumprod[previous] : finalAlphaCumprod;
            sqrtOneMinusAlpha[i] = (float) Math.sqrt(1f - alpha);
            sqrtAlpha[i] = (float) Math.sqrt(alpha);
            sqrtAlphaPrev[i] = (float) Math.sqrt(alphaPrev);
            // eta = 0: the random part's standard deviation is zero
            directionScale[i] = (float) Math.sqrt(1f - alphaPrev);
        }
    }

    @Override
    public int stepCount() {
        return timesteps.length;
    }

    @Override
    public float timestep(int i) {
        return timesteps[checkIndex(i)];
    }

    /** alpha-bar of the training timestep used at step {@code i}. */
    public float alphaCumprod(int i) {
        return schedule.alphasCumprod[timesteps[checkIndex(i)]];
    }

    @Override
    public float initNoiseSigma() {
        return 1f;
    }

    @Override
    public void scaleModelInput(float[] sample, int i, float[] out) {
        checkIndex(i);
        SigmaMath.copy(sample, out);
    }

    @Override
    public void step(float[] modelOutput, int i, float[] sample) {
        checkIndex(i);
        float noiseScale = sqrtOneMinusAlpha[i];
        float signalScale = sqrtAlpha[i];
        float prevSignalScale = sqrtAlphaPrev[i];
        float direction = directionScale[i];
        boolean clip = schedule.config.clipSample();
        float bound = (float) schedule.config.clipSampleRange();
        for (int k = 0; k < sample.length; k++) {
            float epsilon = modelOutput[k];
            float predictedOriginal = (sample[k] - noiseScale * epsilon) / signalScale;
            if (clip) {
                predictedOriginal = Math.max(-bound, Math.min(bound, predictedOriginal));
            }
            sample[k] = prevSignalScale * predictedOriginal + direction * epsilon;
        }
    }

    @Override
    public String name() {
        return SchedulerName.DDIM.wireName();
    }

    private int checkIndex(int i) {
        if (i < 0 || i >= timesteps.length) {
            throw new IndexOutOfBoundsException("step " + i + " outside 0.." + (timesteps.length - 1));
        }
        return i;
    }
}
