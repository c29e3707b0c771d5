package io.photomaker.worker.pipeline.schedule;

/**
 * The part Euler-type schedulers share: timesteps spaced over the training schedule, the sigma
 * interpolated at each (float32, as diffusers keeps them) plus a final 0, the model-input divisor
 * sqrt(sigma^2 + 1) per step and the initial noise sigma. Subclasses add their step update. A scheduler built
 * with {@code sigmaOptions} also honours the config's interpolation type, Karras sigmas and final sigma type as
 * diffusers' {@code EulerDiscreteScheduler} does (its ancestral sibling has none of these settings).
 */
abstract class SpacedSigmaScheduler implements Scheduler {
    protected final TrainingSchedule schedule;
    private final boolean sigmaOptions;
    protected float[] timesteps = new float[0];
    /** One sigma per step plus the final 0. */
    protected float[] sigmas = new float[] {0f};
    /** sqrt(sigma^2 + 1) per step: the model input is divided by it. */
    private float[] inputDivisors = new float[0];
    private float initNoiseSigma = 1f;

    SpacedSigmaScheduler(SchedulerConfig config, boolean sigmaOptions) {
        this.schedule = new TrainingSchedule(config);
        this.sigmaOptions = sigmaOptions;
    }

    @Override
    public void setTimesteps(int steps) {
        double[] spaced = schedule.spacedTimesteps(steps);
        timesteps = new float[steps];
        for (int i = 0; i < steps; i++) {
            timesteps[i] = (float) spaced[i];
        }
        SchedulerConfig config = schedule.config;
        double[] stepSigmas = sigmaOptions && config.interpolationType().equals("log_linear")
                ? logLinearSigmas(steps) : interpolatedSigmas();
        // diffusers' log_linear path yields steps + 1 sigmas, the last of which ends the schedule
        double last = stepSigmas.length > steps ? stepSigmas[steps] : finalSigma();
        if (sigmaOptions && config.useKarrasSigmas()) {
            stepSigmas = karras(stepSigmas, steps);
            last = finalSigma();
            for (int i = 0; i < steps; i++) {
                timesteps[i] = (float) schedule.timestepOfSigma(stepSigmas[i]);
            }
        }
        sigmas = new float[steps + 1];
        for (int i = 0; i < steps; i++) {
            sigmas[i] = (float) stepSigmas[i];
        }
        sigmas[steps] = (float) last;
        inputDivisors = SigmaMath.inputDivisors(sigmas, steps);
        initNoiseSigma = SigmaMath.initNoiseSigma(sigmas, schedule.config.timestepSpacing());
        onTimesteps(steps);
    }

    private double[] interpolatedSigmas() {
        double[] out = new double[timesteps.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = schedule.sigmaAt(timesteps[i]);
        }
        return out;
    }

    /** exp of torch.linspace(log sigma_max, log sigma_min, steps + 1), in float32 as torch computes it. */
    private double[] logLinearSigmas(int steps) {
        float[] sigmasTable = schedule.sigmas;
        float[] logs = TrainingSchedule.torchLinspace(schedule.logSigmas[sigmasTable.length - 1], schedule.logSigmas[0],
                steps + 1);
        double[] out = new double[steps + 1];
        for (int i = 0; i <= steps; i++) {
            out[i] = (float) Math.exp(logs[i]);
        }
        return out;
    }

    /** Karras et al. (2022) sigmas, rho = 7, from the first to the last of {@code in}, in double. */
    private static double[] karras(double[] in, int steps) {
        double rho = 7.0;
        double minInvRho = Math.pow(in[in.length - 1], 1 / rho);
        double maxInvRho = Math.pow(in[0], 1 / rho);
        double[] out = new double[steps];
        for (int i = 0; i < steps; i++) {
            double ramp = steps == 1 ? 0.0 : i == steps - 1 ? 1.0 : i * (1.0 / (steps - 1));
            out[i] = Math.pow(maxInvRho + ramp * (minInvRho - maxInvRho), rho);
        }
        return out;
    }

    /** The sigma after the last step: 0, or the sigma of training timestep 0 for {@code sigma_min}. */
    private double finalSigma() {
        return sigmaOptions && schedule.config.finalSigmasType().equals("sigma_min") ? schedule.sigmas[0] : 0.0;
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
