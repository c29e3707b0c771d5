package io.photomaker.worker.pipeline.schedule;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.photomaker.common.job.SchedulerName;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SchedulerConfigKeysTest {

    /** stabilityai/stable-diffusion-xl-base-1.0's scheduler_config.json as diffusers writes it. */
    static final String SDXL_BASE = """
            {"_class_name": "EulerDiscreteScheduler", "_diffusers_version": "0.19.0.dev0", "beta_end": 0.012,
             "beta_schedule": "scaled_linear", "beta_start": 0.00085, "clip_sample": false,
             "interpolation_type": "linear", "num_train_timesteps": 1000, "prediction_type": "epsilon",
             "sample_max_value": 1.0, "set_alpha_to_one": false, "skip_prk_steps": true, "steps_offset": 1,
             "timestep_spacing": "leading", "trained_betas": null, "use_karras_sigmas": false}""";

    /** A DPM-Solver++ base config (its float("-inf") default written as -Infinity, as Python's json does). */
    static final String DPM_BASE = """
            {"_class_name": "DPMSolverMultistepScheduler", "algorithm_type": "dpmsolver++", "beta_end": 0.012,
             "beta_schedule": "scaled_linear", "beta_start": 0.00085, "dynamic_thresholding_ratio": 0.995,
             "euler_at_final": false, "final_sigmas_type": "zero", "lambda_min_clipped": -Infinity,
             "lower_order_final": true, "num_train_timesteps": 1000, "prediction_type": "epsilon",
             "sample_max_value": 1.0, "solver_order": 2, "solver_type": "midpoint", "steps_offset": 1,
             "thresholding": false, "timestep_spacing": "leading", "trained_betas": null,
             "use_karras_sigmas": true, "use_lu_lambdas": false, "variance_type": null}""";

    @Test
    void the_sdxl_base_config_reads_as_sdxl() {
        assertEquals(SchedulerConfig.sdxl(), SchedulerConfigKeys.read(json(SDXL_BASE)));
    }

    @Test
    void a_dpm_solver_base_config_carries_its_karras_sigmas_to_euler() {
        SchedulerConfig config = SchedulerConfigKeys.read(json(DPM_BASE));
        assertTrue(config.useKarrasSigmas());
        assertFalse(config.setAlphaToOne());
        var euler = new EulerDiscreteScheduler(config);
        euler.setTimesteps(10);
        assertTrue(euler.timestep(1) != Math.rint(euler.timestep(1)), "Karras timesteps are fractional");
    }

    @Test
    void honoured_keys_reach_the_config() {
        Map<String, Object> config = json(SDXL_BASE);
        config.put("set_alpha_to_one", true);
        config.put("clip_sample", true);
        config.put("clip_sample_range", 2.5);
        config.put("interpolation_type", "log_linear");
        config.put("final_sigmas_type", "sigma_min");
        config.put("timestep_spacing", "trailing");
        config.put("steps_offset", 0);
        SchedulerConfig read = SchedulerConfigKeys.read(config);
        assertEquals(new SchedulerConfig(1000, 0.00085, 0.012, "scaled_linear", "trailing", 0, "epsilon", true, false,
                "log_linear", "sigma_min", true, 2.5), read);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {"thresholding|true", "rescale_betas_zero_snr|true",
            "timestep_type|\"continuous\"", "trained_betas|[0.1, 0.2]", "use_exponential_sigmas|true",
            "sigma_max|80.0", "lower_order_final|false", "euler_at_final|true", "variance_type|\"learned\"",
            "use_dynamic_shifting|true", "lambda_min_clipped|-5.1", "some_future_switch|true",
            "prediction_type|\"v_prediction\"", "interpolation_type|\"quadratic\"", "beta_schedule|\"sigmoid\""})
    void a_config_asking_for_something_not_implemented_is_refused_naming_the_key(String key, String value) {
        Map<String, Object> config = json(SDXL_BASE);
        config.put(key, json("{\"v\": " + value + "}").get("v"));
        var e = assertThrows(IllegalArgumentException.class, () -> SchedulerConfigKeys.read(config));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }

    @Test
    void unknown_keys_that_ask_for_nothing_are_accepted() {
        Map<String, Object> config = json(SDXL_BASE);
        config.put("some_future_switch", false);
        config.put("some_future_path", null);
        assertEquals(SchedulerConfig.sdxl(), SchedulerConfigKeys.read(config));
    }

    @Test
    void dpm_solver_refuses_a_final_sigma_it_does_not_implement() {
        SchedulerConfig config = SchedulerConfig.sdxl().withEulerSigmas(false, "linear", "sigma_min");
        var e = assertThrows(IllegalArgumentException.class,
                () -> Schedulers.create(SchedulerName.DPMPP_2M_KARRAS.wireName(), config, 10, new GaussianNoise(1)));
        assertTrue(e.getMessage().contains("final_sigmas_type"), e.getMessage());
        assertEquals(10, Schedulers.create(SchedulerName.EULER.wireName(), config, 10, new GaussianNoise(1)).stepCount());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(String text) {
        try {
            return new LinkedHashMap<>(JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build()
                    .readValue(text, Map.class));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
