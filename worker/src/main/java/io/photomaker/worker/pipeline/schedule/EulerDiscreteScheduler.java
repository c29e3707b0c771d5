package io.photomaker.worker.pipeline.schedule;

/**
 * Euler's method on the probability-flow ODE in sigma space (Karras et al. 2022, Algorithm 1 without churn),
 * matching diffusers' {@code EulerDiscreteScheduler}: sigmas interpolated from the training schedule at the
 * spaced timesteps, a final sigma of 0, model input scaled by 1/sqrt(sigma^2 + 1), epsilon prediction.
 */
public final class EulerDiscreteScheduler implements Scheduler {

    private final TrainingSchedule schedule;
    private float[] timesteps = new float[0];
    /** One sigma per step plus the final 0. */
    private float[] sigmas = new float[] {0f};
    /** sqrt(sigma^2 + 1) per step: the model input is divided by it. */
    private float[] inputDivisors = new float[0];
    private float initNoiseSigma = 1f;

    /** A scheduler for {@code config}; call {@link #setTimesteps} before use. */
    public EulerDiscreteScheduler(SchedulerConfig config) {
        this.schedule = new TrainingSchedule(config);
    }

    @Override
    public void setTimesteps(int steps) {
        double[] spaced = schedule.spacedTimesteps(steps);
        timesteps = new float[steps];
        sigmas = new float[steps + 1];
        for (int i = 0; i < steps; i++) {
            // diffusers keeps float32 timesteps and interpolates the sigma at that float32 value
            timesteps[i] = (float) spaced[i];
            sigmas[i] = (float) schedule.sigmaAt(timesteps[i]);
        }
        sigmas[steps] = 0f;
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
        return Schedulers.EULER;
    }

    private int checkIndex(int i) {
        if (i < 0 || i >= timesteps.length) {
            throw new IndexOutOfBoundsException("step " + i + " outside 0.." + (timesteps.length - 1));
        }
        return i;
    }
}
