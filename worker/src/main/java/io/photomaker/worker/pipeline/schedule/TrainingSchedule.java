package io.photomaker.worker.pipeline.schedule;

/**
 * The per-training-timestep quantities every scheduler derives from a {@link SchedulerConfig}: betas, the
 * cumulative product of alphas and the Karras-style sigma of each training timestep, computed with the same
 * float32 operations as diffusers (torch) so the schedules agree to the last bit or within an ulp.
 */
final class TrainingSchedule {

    final SchedulerConfig config;
    /** alpha-bar per training timestep, float32 as torch stores it. */
    final float[] alphasCumprod;
    /** sqrt((1 - alpha-bar) / alpha-bar) per training timestep, ascending in t. */
    final float[] sigmas;

    TrainingSchedule(SchedulerConfig config) {
        this.config = config;
        int n = config.numTrainTimesteps();
        float[] betas = betas(config);
        alphasCumprod = new float[n];
        // torch's CPU cumprod accumulates float32 inputs in double and rounds each partial product
        double product = 1.0;
        for (int t = 0; t < n; t++) {
            product *= 1.0f - betas[t];
            alphasCumprod[t] = (float) product;
        }
        sigmas = new float[n];
        for (int t = 0; t < n; t++) {
            float ac = alphasCumprod[t];
            sigmas[t] = (float) Math.sqrt((1.0f - ac) / ac);
        }
    }

    int trainSteps() {
        return config.numTrainTimesteps();
    }

    private static float[] betas(SchedulerConfig config) {
        int n = config.numTrainTimesteps();
        if (config.betaSchedule().equals("scaled_linear")) {
            float[] roots = torchLinspace((float) Math.sqrt(config.betaStart()), (float) Math.sqrt(config.betaEnd()), n);
            for (int t = 0; t < n; t++) {
                roots[t] = roots[t] * roots[t];
            }
            return roots;
        }
        return torchLinspace((float) config.betaStart(), (float) config.betaEnd(), n);
    }

    /**
     * torch.linspace in float32: the first half counts up from the start, the second half down from the end,
     * with a float32 step.
     */
    static float[] torchLinspace(float start, float end, int n) {
        float[] out = new float[n];
        float step = (end - start) / (float) (n - 1);
        int halfway = n / 2;
        for (int i = 0; i < n; i++) {
            out[i] = i < halfway ? start + step * (float) i : end - step * (float) (n - 1 - i);
        }
        return out;
    }

    /** np.interp of the training sigmas at a (possibly fractional) timestep, in double. */
    double sigmaAt(double t) {
        int last = sigmas.length - 1;
        if (t <= 0) {
            return sigmas[0];
        }
        if (t >= last) {
            return sigmas[last];
        }
        int j = (int) Math.floor(t);
        double slope = (double) sigmas[j + 1] - (double) sigmas[j];
        return slope * (t - j) + sigmas[j];
    }

    /**
     * The descending timesteps for {@code steps} steps as diffusers computes them for the configured spacing,
     * in double (integral for leading and trailing spacing, fractional for linspace).
     */
    double[] spacedTimesteps(int steps) {
        requireValidSteps(steps);
        int trainSteps = trainSteps();
        double[] out = new double[steps];
        switch (config.timestepSpacing()) {
            case "leading" -> {
                int ratio = trainSteps / steps;
                for (int i = 0; i < steps; i++) {
                    out[i] = (steps - 1 - i) * ratio + config.stepsOffset();
                }
            }
            case "trailing" -> {
                // numpy's arange fills start + i * ((start + step) - start); exactly `steps` values are kept
                double ratio = trainSteps / (double) steps;
                double delta = (trainSteps - ratio) - trainSteps;
                for (int i = 0; i < steps; i++) {
                    out[i] = Math.rint(trainSteps + i * delta) - 1;
                }
            }
            case "linspace" -> {
                // numpy's linspace: k * step, with the end point set exactly
                double step = steps > 1 ? (trainSteps - 1) / (double) (steps - 1) : 0;
                for (int i = 0; i < steps; i++) {
                    int k = steps - 1 - i;
                    out[i] = steps > 1 && k == steps - 1 ? trainSteps - 1 : k * step;
                }
            }
            default -> throw new IllegalStateException(config.timestepSpacing());
        }
        return out;
    }

    /** Integer timesteps as diffusers' DDIM computes them (linspace values are rounded half to even). */
    int[] integerTimesteps(int steps) {
        double[] spaced = spacedTimesteps(steps);
        int[] out = new int[steps];
        for (int i = 0; i < steps; i++) {
            out[i] = (int) Math.rint(spaced[i]);
        }
        return out;
    }

    void requireValidSteps(int steps) {
        int trainSteps = trainSteps();
        if (steps < 1 || steps > trainSteps) {
            throw new IllegalArgumentException("steps must be in [1, " + trainSteps + "], got " + steps);
        }
        if (config.timestepSpacing().equals("leading")
                && (steps - 1) * (trainSteps / steps) + config.stepsOffset() >= trainSteps) {
            throw new IllegalArgumentException("with leading spacing and steps_offset " + config.stepsOffset()
                    + ", " + steps + " steps would go past the last training timestep");
        }
    }
}
