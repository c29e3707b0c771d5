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
    /** log of {@link #sigmas}, float32 as numpy computes it from the float32 sigmas. */
    final float[] logSigmas;

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
        logSigmas = new float[n];
        for (int t = 0; t < n; t++) {
            float ac = alphasCumprod[t];
            sigmas[t] = (float) Math.sqrt((1.0f - ac) / ac);
            logSigmas[t] = (float) Math.log(sigmas[t]);
        }
    }

    /**
     * The fractional training timestep whose log-sigma is {@code sigma}'s: linear interpolation in the float32
     * log-sigma table between the last entry at or below it and the next, clamped to the table (diffusers'
     * {@code _sigma_to_t}).
     */
    double timestepOfSigma(double sigma) {
        double logSigma = Math.log(Math.max(sigma, 1e-10));
        int low = 0;
        for (int t = 0; t < logSigmas.length; t++) {
            if (logSigma - logSigmas[t] >= 0) {
                low = t;
            }
        }
        low = Math.min(low, logSigmas.length - 2);
        float lowLog = logSigmas[low];
        float highLog = logSigmas[low + 1];
        double w = (lowLog - logSigma) / (lowLog - highLog);
        w = Math.min(1.0, Math.max(0.0, w));
        return (1 - w) * low + w * (low + 1);
    }

    int trainSteps() {
        return config.numTrainTimesteps();
    }

    private static float[] betas(SchedulerConfig config) {
        int n = config.numTrainTimesteps();
        if (config.betaSchedule().equals("squaredcos_cap_v2")) {
            return cosineBetas(n);
        }
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
     * The cosine schedule (Nichol and Dhariwal 2021): alpha-bar(t) = cos((t + 0.008) / 1.008 * pi / 2)^2 and
     * beta_i = min(1 - alpha-bar((i + 1) / n) / alpha-bar(i / n), 0.999), in double, stored as float32.
     */
    static float[] cosineBetas(int n) {
        float[] betas = new float[n];
        for (int i = 0; i < n; i++) {
            double ratio = cosineAlphaBar((i + 1) / (double) n) / cosineAlphaBar(i / (double) n);
            betas[i] = (float) Math.min(1 - ratio, 0.999);
        }
        return betas;
    }

    private static double cosineAlphaBar(double t) {
        double c = Math.cos((t + 0.008) / 1.008 * Math.PI / 2);
        return c * c;
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
