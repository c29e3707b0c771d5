package io.photomaker.worker.pipeline.schedule;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a base model's whole diffusers scheduler config into a {@link SchedulerConfig}: every key the schedulers
 * implement is honoured, keys that cannot change what they do are passed over, and a key that asks for something
 * they do not implement is refused by name. A scheduler named by a job is built as diffusers'
 * {@code <Class>.from_config(base_config)} builds it; {@code dpmpp_2m_karras} fixes solver_order 2, algorithm_type
 * dpmsolver++, solver_type midpoint and Karras sigmas itself. Absent keys take SDXL's values.
 */
public final class SchedulerConfigKeys {

    /** Keys read into {@link SchedulerConfig}. */
    public static final Set<String> HONOURED = Set.of("num_train_timesteps", "beta_start", "beta_end", "beta_schedule",
            "timestep_spacing", "steps_offset", "prediction_type", "set_alpha_to_one", "use_karras_sigmas",
            "interpolation_type", "final_sigmas_type", "clip_sample", "clip_sample_range");

    /**
     * Keys that do not change our schedulers: diffusers' bookkeeping, settings fixed by the scheduler names, PNDM's
     * skip_prk_steps, and thresholding parameters (thresholding itself must be off).
     */
    public static final Set<String> PASSED_OVER = Set.of("_class_name", "_diffusers_version", "_use_default_values",
            "skip_prk_steps", "solver_order", "algorithm_type", "solver_type", "dynamic_thresholding_ratio",
            "sample_max_value", "time_shift_type");

    /** Keys of features not implemented: accepted only with the value that turns the feature off. */
    private static final Map<String, Object> ONLY_WHEN_OFF = Map.ofEntries(
            Map.entry("trained_betas", "null"),
            Map.entry("thresholding", false),
            Map.entry("rescale_betas_zero_snr", false),
            Map.entry("timestep_type", "discrete"),
            Map.entry("sigma_min", "null"),
            Map.entry("sigma_max", "null"),
            Map.entry("use_exponential_sigmas", false),
            Map.entry("use_beta_sigmas", false),
            Map.entry("use_lu_lambdas", false),
            Map.entry("use_flow_sigmas", false),
            Map.entry("use_dynamic_shifting", false),
            Map.entry("flow_shift", 1.0),
            Map.entry("lower_order_final", true),
            Map.entry("euler_at_final", false),
            Map.entry("variance_type", "null"),
            Map.entry("lambda_min_clipped", Double.NEGATIVE_INFINITY));

    private SchedulerConfigKeys() {
    }

    /**
     * The scheduler settings of {@code config}.
     *
     * @throws IllegalArgumentException naming the first key (and value) that asks for something not implemented,
     *         or a missing or mistyped training-schedule key
     */
    public static SchedulerConfig read(Map<String, Object> config) {
        List<String> refused = new ArrayList<>();
        for (Map.Entry<String, Object> entry : config.entrySet()) {
            String key = entry.getKey();
            Object value = entry.getValue();
            if (HONOURED.contains(key) || PASSED_OVER.contains(key)) {
                continue;
            }
            if (ONLY_WHEN_OFF.containsKey(key)) {
                if (!isOff(value, ONLY_WHEN_OFF.get(key))) {
                    refused.add(key + " = " + value + " (only " + ONLY_WHEN_OFF.get(key) + " is implemented)");
                }
            } else if (value != null && !Boolean.FALSE.equals(value)) {
                refused.add(key + " = " + value + " (a setting these schedulers do not know)");
            }
        }
        if (!refused.isEmpty()) {
            throw new IllegalArgumentException("scheduler config asks for what the schedulers do not implement: "
                    + String.join("; ", refused));
        }
        return new SchedulerConfig(
                integer(config, "num_train_timesteps"), number(config, "beta_start"), number(config, "beta_end"),
                text(config, "beta_schedule", null), text(config, "timestep_spacing", null),
                integer(config, "steps_offset"), text(config, "prediction_type", null),
                flag(config, "set_alpha_to_one", false), flag(config, "use_karras_sigmas", false),
                text(config, "interpolation_type", "linear"), text(config, "final_sigmas_type", "zero"),
                flag(config, "clip_sample", false), config.containsKey("clip_sample_range")
                        ? number(config, "clip_sample_range") : 1.0);
    }

    private static boolean isOff(Object value, Object off) {
        if ("null".equals(off)) {
            return value == null;
        }
        if (off instanceof Double d) {
            return value instanceof Number n && n.doubleValue() == d;
        }
        return off.equals(value);
    }

    private static int integer(Map<String, Object> config, String key) {
        if (!(config.get(key) instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new IllegalArgumentException("scheduler config key " + key + " must be a whole number, was "
                    + config.get(key));
        }
        return n.intValue();
    }

    private static double number(Map<String, Object> config, String key) {
        if (!(config.get(key) instanceof Number n)) {
            throw new IllegalArgumentException("scheduler config key " + key + " must be a number, was " + config.get(key));
        }
        return n.doubleValue();
    }

    private static String text(Map<String, Object> config, String key, String absent) {
        Object value = config.get(key);
        if (value == null && absent != null) {
            return absent;
        }
        if (!(value instanceof String s)) {
            throw new IllegalArgumentException("scheduler config key " + key + " must be a string, was " + value);
        }
        return s;
    }

    private static boolean flag(Map<String, Object> config, String key, boolean absent) {
        Object value = config.get(key);
        if (value == null) {
            return absent;
        }
        if (!(value instanceof Boolean b)) {
            throw new IllegalArgumentException("scheduler config key " + key + " must be true or false, was " + value);
        }
        return b;
    }
}
