package io.photomaker.worker.pipeline.schedule;

import java.util.Objects;

/**
 * Ancestral Euler sampling (k-diffusion's {@code sample_euler_ancestral}), matching diffusers'
 * {@code EulerAncestralDiscreteScheduler}: each step moves deterministically to sigma_down and then adds fresh
 * noise of standard deviation sigma_up, where sigma_up^2 = sigma_to^2 (sigma_from^2 - sigma_to^2) / sigma_from^2
 * and sigma_down^2 = sigma_to^2 - sigma_up^2. The noise comes from the {@link GaussianNoise} given at construction.
 */
public final class EulerAncestralScheduler implements Scheduler {

    private final TrainingSchedule schedule;
    private final GaussianNoise noise;
    private float[] timesteps = new float[0];
    private float[] sigmas = new float[] {0f};
    private float[] sigmasUp = new float[0];
    private float[] sigmasDown = new float[0];
    private float[] inputDivisors = new float[0];
    private float initNoiseSigma = 1f;

    /** A scheduler for {@code config} drawing its per-step noise from {@code noise}. */
    public EulerAncestralScheduler(SchedulerConfig config, GaussianNoise noise) {
        this.schedule = new TrainingSchedule(config);
        this.noise = Objects.requireNonNull(noise, "noise");
    }

    @Override
    public void setTimesteps(int steps) {
        double[] spaced = schedule.spacedTimesteps(steps);
        timesteps = new float[steps];
        sigmas = new float[steps + 1];
        for (int i = 0; i < steps; i++) {
            timesteps[i] = (float) spaced[i];
            sigmas[i] = (float) schedule.sigmaAt(timesteps[i]);
        }
        sigmas[steps] = 0f;
        sigmasUp = new float[steps];
        sigmasDown = new float[steps];
        for (int i = 0; i < steps; i++) {
            float from = sigmas[i];
            float to = sigmas[i + 1];
            float up = (float) Math.sqrt(to * to * (from * from - to * to) / (from * from));
            sigmasUp[i] = up;
            // mathematically to^4/from^2 >= 0; clamp the float rounding that could make it a hair negative
            sigmasDown[i] = (float) Math.sqrt(Math.max(0f, to * to - up * up));
        }
        inputDivisors = SigmaMath.inputDivisors(sigmas, steps);
        initNoiseSigma = SigmaMath.initNoiseSigma(sigmas, schedule.config.timestepSpacing());
    }

    @Override
    public int stepCount() {
        return timesteps.length;
    }

    @Override
    public float timestep(int i) {
        return timesteps[checkIndex(i)];
    }

    /** The noise level at step {@code i}; {@code sigma(stepCount())} is the final 0. */
    public float sigma(int i) {
        return sigmas[i];
    }

    /** Standard deviation of the noise added at step {@code i}. */
    public float sigmaUp(int i) {
        return sigmasUp[checkIndex(i)];
    }

    /** The noise level the deterministic part of step {@code i} moves to. */
    public float sigmaDown(int i) {
        return sigmasDown[checkIndex(i)];
    }

    @Override
    public float initNoiseSigma() {
        return initNoiseSigma;
    }

    @Override
    public void scaleModelInput(float[] sample, int i, float[] out) {
        SigmaMath.divide(sample, inputDivisors[checkIndex(i)], out);
    }

    @Override
    public void step(float[] modelOutput, int i, float[] sample) {
        float sigma = sigmas[checkIndex(i)];
        float dt = sigmasDown[i] - sigma;
        float up = sigmasUp[i];
        for (int k = 0; k < sample.length; k++) {
            float x = sample[k];
            float predictedOriginal = x - sigma * modelOutput[k];
            float derivative = (x - predictedOriginal) / sigma;
            float moved = x + derivative * dt;
            sample[k] = moved + noise.nextFloat() * up;
        }
    }

    @Override
    public String name() {
        return Schedulers.EULER_ANCESTRAL;
    }

    private int checkIndex(int i) {
        if (i < 0 || i >= timesteps.length) {
            throw new IndexOutOfBoundsException("step " + i + " outside 0.." + (timesteps.length - 1));
        }
        return i;
    }
}
