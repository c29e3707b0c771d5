package io.photomaker.worker.pipeline.schedule;

/**
 * A diffusion sampler driving the denoising loop over the flat latents of one sample ({@code C*h*w} floats).
 *
 * <p>Usage per job: {@link #setTimesteps(int)} (done by {@link Schedulers#create}), fill the latents with
 * standard normal noise and multiply by {@link #initNoiseSigma()} (or call {@link #initLatents}), then for each
 * {@code i} in {@code 0..stepCount()-1}: {@link #scaleModelInput} into the UNet input buffer, run the UNet at
 * {@link #timestep(int)}, combine guidance, and {@link #step} the latents in place. Steps must be taken in
 * order; after {@link #setTimesteps(int)} the loop may run again. Steps allocate nothing (a multistep
 * scheduler sizes its history buffer once, on its first step).
 */
public interface Scheduler {

    /** Prepares a schedule of {@code steps} denoising steps and resets any multistep state. */
    void setTimesteps(int steps);

    /** Number of denoising steps in the current schedule. */
    int stepCount();

    /** The timestep the UNet is conditioned on at step {@code i} (integral for most schedulers). */
    float timestep(int i);

    /** Standard deviation of the initial latent noise. */
    float initNoiseSigma();

    /**
     * Writes the UNet input for step {@code i} into {@code out} ({@code out} may be {@code sample} itself).
     */
    void scaleModelInput(float[] sample, int i, float[] out);

    /**
     * Advances {@code sample} from step {@code i} to step {@code i + 1} in place, given the (guided) model
     * output at step {@code i}.
     */
    void step(float[] modelOutput, int i, float[] sample);

    /** The name {@link Schedulers#create} knows this scheduler by. */
    String name();

    /** Writes standard normal {@code noise} scaled by {@link #initNoiseSigma()} into {@code latents}. */
    default void initLatents(float[] noise, float[] latents) {
        SigmaMath.requireSameLength(noise, latents);
        float sigma = initNoiseSigma();
        for (int k = 0; k < latents.length; k++) {
            latents[k] = noise[k] * sigma;
        }
    }
}
