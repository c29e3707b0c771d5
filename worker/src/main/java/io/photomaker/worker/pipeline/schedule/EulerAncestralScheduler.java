package io.photomaker.worker.pipeline.schedule;

import io.photomaker.common.job.SchedulerName;
import java.util.Objects;

/**
 * Ancestral Euler sampling (k-diffusion's {@code sample_euler_ancestral}), matching diffusers'
 * {@code EulerAncestralDiscreteScheduler}: each step moves deterministically to sigma_down and then adds fresh
 * noise of standard deviation sigma_up, where sigma_up^2 = sigma_to^2 (sigma_from^2 - sigma_to^2) / sigma_from^2
 * and sigma_down^2 = sigma_to^2 - sigma_up^2. The noise of step i comes from the {@link StepNoise} given at
 * construction, one whole draw per step (allocated once, on the first step).
 */
public final class EulerAncestralScheduler extends SpacedSigmaScheduler {

    private final StepNoise noise;
    private float[] stepNoise = new float[0];
    private float[] sigmasUp = new float[0];
    private float[] sigmasDown = new float[0];

    /** A scheduler for {@code config} drawing its per-step noise from {@code noise}. */
    public EulerAncestralScheduler(SchedulerConfig config, StepNoise noise) {
        super(config, false);
        this.noise = Objects.requireNonNull(noise, "noise");
    }

    @Override
    protected void onTimesteps(int steps) {
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
    public void step(float[] modelOutput, int i, float[] sample) {
        float sigma = sigmas[checkIndex(i)];
        float dt = sigmasDown[i] - sigma;
        float up = sigmasUp[i];
        if (stepNoise.length != sample.length) {
            stepNoise = new float[sample.length];
        }
        noise.fill(i, stepNoise);
        for (int k = 0; k < sample.length; k++) {
            float x = sample[k];
            float predictedOriginal = x - sigma * modelOutput[k];
            float derivative = (x - predictedOriginal) / sigma;
            float moved = x + derivative * dt;
            sample[k] = moved + stepNoise[k] * up;
        }
    }

    @Override
    public String name() {
        return SchedulerName.EULER_ANCESTRAL.wireName();
    }
}
