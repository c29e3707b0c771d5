package io.photomaker.worker.pipeline.schedule;

import io.photomaker.common.job.SchedulerName;

/**
 * DPM-Solver++(2M) with Karras sigmas (Lu et al. 2022, multistep second order, data prediction; Karras et al. 2022
 * noise levels with rho = 7), matching diffusers' {@code DPMSolverMultistepScheduler} configured with
 * {@code use_karras_sigmas=True, solver_order=2, algorithm_type="dpmsolver++", solver_type="midpoint"} on top of
 * the SDXL config. Sigmas run from the sigma of the last training timestep down to that of timestep 0, then 0;
 * timesteps are the rounded log-sigma interpolation of each sigma. The first step and the step to sigma 0 are
 * first order (diffusers' lower_order_final, which always applies with a zero final sigma).
 *
 * <p>Multistep: steps must be taken in order 0, 1, 2, ...; {@link #setTimesteps} starts over.
 */
public final class DpmSolverMultistepKarrasScheduler implements Scheduler {

    private static final double RHO = 7.0;

    private final TrainingSchedule schedule;
    private int[] timesteps = new int[0];
    private float[] sigmas = new float[] {0f};
    /** Per sigma index: alpha_t = 1/sqrt(sigma^2+1), sigma_t = sigma * alpha_t, lambda = log alpha_t - log sigma_t. */
    private float[] alphas = new float[] {1f};
    private float[] scaledSigmas = new float[] {0f};
    private float[] lambdas = new float[] {Float.POSITIVE_INFINITY};
    /** The data prediction of the previous step, kept for the second-order update. */
    private float[] previousPrediction;
    private int nextStep;

    /** A scheduler for {@code config}; call {@link #setTimesteps} before use. */
    public DpmSolverMultistepKarrasScheduler(SchedulerConfig config) {
        if (!config.finalSigmasType().equals("zero")) {
            throw new IllegalArgumentException(SchedulerName.DPMPP_2M_KARRAS.wireName() + " implements final_sigmas_type zero only;"
                    + " this model's scheduler config asks for " + config.finalSigmasType());
        }
        this.schedule = new TrainingSchedule(config);
    }

    @Override
    public void setTimesteps(int steps) {
        if (steps < 1 || steps > schedule.trainSteps()) {
            throw new IllegalArgumentException("steps must be in [1, " + schedule.trainSteps() + "], got " + steps);
        }
        double sigmaMin = schedule.sigmas[0];
        double sigmaMax = schedule.sigmas[schedule.sigmas.length - 1];
        double minInvRho = Math.pow(sigmaMin, 1 / RHO);
        double maxInvRho = Math.pow(sigmaMax, 1 / RHO);
        timesteps = new int[steps];
        sigmas = new float[steps + 1];
        for (int i = 0; i < steps; i++) {
            double ramp = steps == 1 ? 0.0 : i == steps - 1 ? 1.0 : i * (1.0 / (steps - 1));
            double sigma = Math.pow(maxInvRho + ramp * (minInvRho - maxInvRho), RHO);
            sigmas[i] = (float) sigma;
            timesteps[i] = (int) Math.rint(sigmaToTimestep(sigma));
        }
        sigmas[steps] = 0f;
        alphas = new float[steps + 1];
        scaledSigmas = new float[steps + 1];
        lambdas = new float[steps + 1];
        for (int i = 0; i <= steps; i++) {
            float alpha = 1f / (float) Math.sqrt(sigmas[i] * sigmas[i] + 1f);
            alphas[i] = alpha;
            scaledSigmas[i] = sigmas[i] * alpha;
            lambdas[i] = SigmaMath.log(alpha) - SigmaMath.log(scaledSigmas[i]);
        }
        nextStep = 0;
    }

    private double sigmaToTimestep(double sigma) {
        return schedule.timestepOfSigma(sigma);
    }

    @Override
    public int stepCount() {
        return timesteps.length;
    }

    @Override
    public float timestep(int i) {
        return timesteps[checkIndex(i)];
    }

    /** The Karras noise level at step {@code i}; {@code sigma(stepCount())} is the final 0. */
    public float sigma(int i) {
        return sigmas[i];
    }

    @Override
    public float initNoiseSigma() {
        return 1f;
    }

    @Override
    public void scaleModelInput(float[] sample, int i, float[] out) {
        checkIndex(i);
        SigmaMath.copy(sample, out);
    }

    @Override
    public void step(float[] modelOutput, int i, float[] sample) {
        checkIndex(i);
        if (i != nextStep) {
            throw new IllegalStateException("multistep scheduler expects step " + nextStep + ", got " + i);
        }
        if (previousPrediction == null || previousPrediction.length != sample.length) {
            previousPrediction = new float[sample.length];
        }
        boolean firstOrder = i == 0 || i == stepCount() - 1;
        if (firstOrder) {
            firstOrderUpdate(modelOutput, i, sample);
        } else {
            secondOrderUpdate(modelOutput, i, sample);
        }
        nextStep = i + 1;
    }

    private void firstOrderUpdate(float[] modelOutput, int i, float[] sample) {
        float alphaS = alphas[i];
        float sigmaS = scaledSigmas[i];
        float h = lambdas[i + 1] - lambdas[i];
        float sampleScale = scaledSigmas[i + 1] / sigmaS;
        float predictionScale = alphas[i + 1] * (SigmaMath.exp(-h) - 1f);
        float[] previous = previousPrediction;
        for (int k = 0; k < sample.length; k++) {
            float x = sample[k];
            float prediction = (x - sigmaS * modelOutput[k]) / alphaS;
            previous[k] = prediction;
            sample[k] = sampleScale * x - predictionScale * prediction;
        }
    }

    private void secondOrderUpdate(float[] modelOutput, int i, float[] sample) {
        float alphaS = alphas[i];
        float sigmaS = scaledSigmas[i];
        float h = lambdas[i + 1] - lambdas[i];
        float previousH = lambdas[i] - lambdas[i - 1];
        float inverseRatio = 1f / (previousH / h);
        float sampleScale = scaledSigmas[i + 1] / sigmaS;
        float predictionScale = alphas[i + 1] * (SigmaMath.exp(-h) - 1f);
        float correctionScale = 0.5f * predictionScale;
        float[] previous = previousPrediction;
        for (int k = 0; k < sample.length; k++) {
            float x = sample[k];
            float prediction = (x - sigmaS * modelOutput[k]) / alphaS;
            float slope = inverseRatio * (prediction - previous[k]);
            previous[k] = prediction;
            sample[k] = sampleScale * x - predictionScale * prediction - correctionScale * slope;
        }
    }

    @Override
    public String name() {
        return SchedulerName.DPMPP_2M_KARRAS.wireName();
    }

    private int checkIndex(int i) {
        if (i < 0 || i >= timesteps.length) {
            throw new IndexOutOfBoundsException("step " + i + " outside 0.." + (timesteps.length - 1));
        }
        return i;
    }
}
