package io.photomaker.worker.pipeline.schedule;

import java.util.List;
import java.util.Objects;

/**
 * The training-time noise schedule a diffusion model was trained with, as found in a model's scheduler config
 * (diffusers' field names in snake_case map one to one onto these components).
 *
 * @param numTrainTimesteps number of discrete training timesteps (1000 for SDXL)
 * @param betaStart         first beta of the schedule
 * @param betaEnd           last beta of the schedule
 * @param betaSchedule      {@code "scaled_linear"} (betas linear in sqrt space, SDXL) or {@code "linear"}
 * @param timestepSpacing   {@code "leading"}, {@code "trailing"} or {@code "linspace"}
 * @param stepsOffset       offset added to leading-spaced timesteps (1 for SDXL)
 * @param predictionType    what the UNet predicts; only {@code "epsilon"} is supported
 */
public record SchedulerConfig(
        int numTrainTimesteps,
        double betaStart,
        double betaEnd,
        String betaSchedule,
        String timestepSpacing,
        int stepsOffset,
        String predictionType) {

    /** Beta schedules this package can build. */
    public static final List<String> BETA_SCHEDULES = List.of("scaled_linear", "linear");
    /** Timestep spacings this package can build. */
    public static final List<String> TIMESTEP_SPACINGS = List.of("leading", "trailing", "linspace");
    /** Prediction types this package can step with. */
    public static final List<String> PREDICTION_TYPES = List.of("epsilon");

    /** Validates every component; a bad manifest fails here with a message naming the field. */
    public SchedulerConfig {
        Objects.requireNonNull(betaSchedule, "beta_schedule");
        Objects.requireNonNull(timestepSpacing, "timestep_spacing");
        Objects.requireNonNull(predictionType, "prediction_type");
        if (numTrainTimesteps < 2) {
            throw new IllegalArgumentException("num_train_timesteps must be at least 2, got " + numTrainTimesteps);
        }
        if (!(betaStart > 0 && betaStart < betaEnd && betaEnd < 1)) {
            throw new IllegalArgumentException(
                    "betas must satisfy 0 < beta_start < beta_end < 1, got " + betaStart + ".." + betaEnd);
        }
        requireOneOf("beta_schedule", betaSchedule, BETA_SCHEDULES);
        requireOneOf("timestep_spacing", timestepSpacing, TIMESTEP_SPACINGS);
        requireOneOf("prediction_type", predictionType, PREDICTION_TYPES);
        if (stepsOffset < 0 || stepsOffset >= numTrainTimesteps) {
            throw new IllegalArgumentException("steps_offset must be in [0, num_train_timesteps), got " + stepsOffset);
        }
    }

    /** The scheduler config shipped with SDXL base 1.0 (and every SDXL fine-tune PhotoMaker is used with). */
    public static SchedulerConfig sdxl() {
        return new SchedulerConfig(1000, 0.00085, 0.012, "scaled_linear", "leading", 1, "epsilon");
    }

    /** The same schedule with another timestep spacing. */
    public SchedulerConfig withTimestepSpacing(String spacing) {
        return new SchedulerConfig(numTrainTimesteps, betaStart, betaEnd, betaSchedule, spacing, stepsOffset,
                predictionType);
    }

    private static void requireOneOf(String field, String value, List<String> allowed) {
        if (!allowed.contains(value)) {
            throw new IllegalArgumentException(field + " '" + value + "' is not supported; expected one of " + allowed);
        }
    }
}
