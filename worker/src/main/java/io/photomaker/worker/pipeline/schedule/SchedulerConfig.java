package io.photomaker.worker.pipeline.schedule;

import java.util.List;
import java.util.Objects;

/**
 * The settings the schedulers take from a model's scheduler config (diffusers' field names in snake_case map one to
 * one onto these components; {@link SchedulerConfigKeys} reads a whole config).
 *
 * @param numTrainTimesteps number of discrete training timesteps (1000 for SDXL)
 * @param betaStart         first beta of the schedule
 * @param betaEnd           last beta of the schedule
 * @param betaSchedule      {@code "scaled_linear"} (betas linear in sqrt space, SDXL), {@code "linear"} or
 *                          {@code "squaredcos_cap_v2"} (the cosine schedule; beta_start and beta_end unused)
 * @param timestepSpacing   {@code "leading"}, {@code "trailing"} or {@code "linspace"}
 * @param stepsOffset       offset added to leading-spaced timesteps (1 for SDXL)
 * @param predictionType    what the UNet predicts; only {@code "epsilon"} is supported
 * @param setAlphaToOne     DDIM: the step after the last timestep uses alpha-bar 1 (else alpha-bar of timestep 0)
 * @param useKarrasSigmas   Euler: Karras et al. sigmas between the first and last spaced sigma
 * @param interpolationType Euler: {@code "linear"} (sigmas interpolated at the timesteps) or {@code "log_linear"}
 * @param finalSigmasType   Euler: the sigma after the last step, {@code "zero"} or {@code "sigma_min"}
 * @param clipSample        DDIM: clamp the predicted original sample to {@code [-clipSampleRange, clipSampleRange]}
 * @param clipSampleRange   DDIM: the clamp bound
 */
public record SchedulerConfig(
        int numTrainTimesteps,
        double betaStart,
        double betaEnd,
        String betaSchedule,
        String timestepSpacing,
        int stepsOffset,
        String predictionType,
        boolean setAlphaToOne,
        boolean useKarrasSigmas,
        String interpolationType,
        String finalSigmasType,
        boolean clipSample,
        double clipSampleRange) {

    /** Beta schedules this package can build. */
    public static final List<String> BETA_SCHEDULES = List.of("scaled_linear", "linear", "squaredcos_cap_v2");
    /** Timestep spacings this package can build. */
    public static final List<String> TIMESTEP_SPACINGS = List.of("leading", "trailing", "linspace");
    /** Prediction types this package can step with. */
    public static final List<String> PREDICTION_TYPES = List.of("epsilon");
    /** Euler sigma interpolations. */
    public static final List<String> INTERPOLATION_TYPES = List.of("linear", "log_linear");
    /** Euler final sigmas. */
    public static final List<String> FINAL_SIGMAS_TYPES = List.of("zero", "sigma_min");

    /** Validates every component; a bad config fails here with a message naming the field. */
    public SchedulerConfig {
        Objects.requireNonNull(betaSchedule, "beta_schedule");
        Objects.requireNonNull(timestepSpacing, "timestep_spacing");
        Objects.requireNonNull(predictionType, "prediction_type");
        Objects.requireNonNull(interpolationType, "interpolation_type");
        Objects.requireNonNull(finalSigmasType, "final_sigmas_type");
        if (numTrainTimesteps < 2) {
            throw new IllegalArgumentException("num_train_timesteps must be at least 2, got " + numTrainTimesteps);
        }
        if (!betaSchedule.equals("squaredcos_cap_v2") && !(betaStart > 0 && betaStart < betaEnd && betaEnd < 1)) {
            throw new IllegalArgumentException(
                    "betas must satisfy 0 < beta_start < beta_end < 1, got " + betaStart + ".." + betaEnd);
        }
        requireOneOf("beta_schedule", betaSchedule, BETA_SCHEDULES);
        requireOneOf("timestep_spacing", timestepSpacing, TIMESTEP_SPACINGS);
        requireOneOf("prediction_type", predictionType, PREDICTION_TYPES);
        requireOneOf("interpolation_type", interpolationType, INTERPOLATION_TYPES);
        requireOneOf("final_sigmas_type", finalSigmasType, FINAL_SIGMAS_TYPES);
        if (stepsOffset < 0 || stepsOffset >= numTrainTimesteps) {
            throw new IllegalArgumentException("steps_offset must be in [0, num_train_timesteps), got " + stepsOffset);
        }
        if (!(clipSampleRange > 0) || !Double.isFinite(clipSampleRange)) {
            throw new IllegalArgumentException("clip_sample_range must be a positive number, got " + clipSampleRange);
        }
    }

    /**
     * The training schedule with the sampler settings of SDXL's config: no alpha-bar of one, plain interpolated
     * sigmas ending at zero, no sample clipping.
     */
    public SchedulerConfig(int numTrainTimesteps, double betaStart, double betaEnd, String betaSchedule,
            String timestepSpacing, int stepsOffset, String predictionType) {
        this(numTrainTimesteps, betaStart, betaEnd, betaSchedule, timestepSpacing, stepsOffset, predictionType, false,
                false, "linear", "zero", false, 1.0);
    }

    /** The scheduler config shipped with SDXL base 1.0 (and every SDXL fine-tune PhotoMaker is used with). */
    public static SchedulerConfig sdxl() {
        return new SchedulerConfig(1000, 0.00085, 0.012, "scaled_linear", "leading", 1, "epsilon");
    }

    /** The same schedule with another timestep spacing. */
    public SchedulerConfig withTimestepSpacing(String spacing) {
        return new SchedulerConfig(numTrainTimesteps, betaStart, betaEnd, betaSchedule, spacing, stepsOffset,
                predictionType, setAlphaToOne, useKarrasSigmas, interpolationType, finalSigmasType, clipSample,
                clipSampleRange);
    }

    /** The same config with other Euler sigma settings. */
    public SchedulerConfig withEulerSigmas(boolean karras, String interpolation, String finalSigmas) {
        return new SchedulerConfig(numTrainTimesteps, betaStart, betaEnd, betaSchedule, timestepSpacing, stepsOffset,
                predictionType, setAlphaToOne, karras, interpolation, finalSigmas, clipSample, clipSampleRange);
    }

    /** The same config with other DDIM settings. */
    public SchedulerConfig withDdim(boolean alphaToOne, boolean clip, double clipRange) {
        return new SchedulerConfig(numTrainTimesteps, betaStart, betaEnd, betaSchedule, timestepSpacing, stepsOffset,
                predictionType, alphaToOne, useKarrasSigmas, interpolationType, finalSigmasType, clip, clipRange);
    }

    private static void requireOneOf(String field, String value, List<String> allowed) {
        if (!allowed.contains(value)) {
            throw new IllegalArgumentException(field + " '" + value + "' is not supported; expected one of " + allowed);
        }
    }
}
