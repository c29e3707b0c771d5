package io.photomaker.worker.pipeline.schedule;

import io.photomaker.common.job.SchedulerName;

/**
 * Euler's method on the probability-flow ODE in sigma space (Karras et al. 2022, Algorithm 1 without churn),
 * matching diffusers' {@code EulerDiscreteScheduler}: sigmas interpolated from the training schedule at the
 * spaced timesteps (or log-linear, or Karras sigmas, as the config says), a final sigma of 0 (or sigma_min),
 * model input scaled by 1/sqrt(sigma^2 + 1), epsilon prediction.
 */
public final class EulerDiscreteScheduler extends SpacedSigmaScheduler {

    /** A scheduler for {@code config}; call {@link #setTimesteps} before use. */
    public EulerDiscreteScheduler(SchedulerConfig config) {
        super(config, true);
    }

    @Override
    public void step(float[] modelOutput, int i, float[] sample) {
        float sigma = sigmas[checkIndex(i)];
        float dt = sigmas[i + 1] - sigma;
        for (int k = 0; k < sample.length; k++) {
            float x = sample[k];
            // same float32 operations as diffusers: x0 = x - sigma*eps, d = (x - x0)/sigma, x + d*dt
            float predictedOriginal = x - sigma * modelOutput[k];
            float derivative = (x - predictedOriginal) / sigma;
            sample[k] = x + derivative * dt;
        }
    }

    @Override
    public String name() {
        return SchedulerName.EULER.wireName();
    }
}
