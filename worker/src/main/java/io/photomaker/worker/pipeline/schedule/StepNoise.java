package io.photomaker.worker.pipeline.schedule;

/**
 * Standard normal noise a stochastic sampler adds after a step: {@link #fill} writes the values for step
 * {@code step} of one output. Jobs pass their torch-compatible draw (draw {@code 1 + step}, this output's slice),
 * so the ancestral sampler continues the stream the initial latents came from, as the reference's does.
 */
@FunctionalInterface
public interface StepNoise {

    /** Writes the noise of step {@code step} into {@code out} (every element). */
    void fill(int step, float[] out);
}
