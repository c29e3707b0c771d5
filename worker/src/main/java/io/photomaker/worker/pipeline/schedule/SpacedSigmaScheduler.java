package io.photomaker.worker.pipeline.schedule;

/**
 * The part Euler-type schedulers share: timesteps spaced over the training schedule, the sigma
 * interpolated at each (float32, as diffusers keeps them) plus a final 0, the model-input divisor
 * sqrt(sigma^2 + 1) per step and the initial noise sigma. Subclasses add their step update.
 */
abstract class SpacedSigmaScheduler implements Scheduler {
    protected final TrainingSchedule schedule;
    protected float[] timesteps = new float[0];
    /** One sigma per step plus the final 0. */
    protected float[] sigmas = new float[] {0f};
    /** sqrt(sigma^2 + 1) per step: the model input is divided by it. */
    private float[] inputDivisors = new float[0];
    private float initNoiseSigma = 1f;

    SpacedSigmaScheduler(SchedulerConfig config) {
        this.schedule = new TrainingSchedule(config);
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
        inputDivisors = SigmaMath.inputDivisors(sigmas, steps);
        initNoiseSigma = SigmaMath.initNoiseSigma(sigmas, schedule.config.timestepSpacing());
        onTimesteps(steps);
    }

    /** Called after the sigmas for {@code steps} steps are set. */
    protected void onTimesteps(int steps) {
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

    protected int checkIndex(int i) {
        if (i < 0 || i >= timesteps.length) {
            throw new IndexOutOfBoundsException("step " + i + " outside 0.." + (timesteps.length - 1));
        }
        return i;
    }
}
