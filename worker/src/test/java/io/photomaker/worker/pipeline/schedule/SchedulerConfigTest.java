package io.photomaker.worker.pipeline.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SchedulerConfigTest {

    @Test
    void sdxl_defaults_are_those_of_the_sdxl_scheduler_config() {
        SchedulerConfig config = SchedulerConfig.sdxl();
        assertEquals(1000, config.numTrainTimesteps());
        assertEquals(0.00085, config.betaStart());
        assertEquals(0.012, config.betaEnd());
        assertEquals("scaled_linear", config.betaSchedule());
        assertEquals("leading", config.timestepSpacing());
        assertEquals(1, config.stepsOffset());
        assertEquals("epsilon", config.predictionType());
    }

    @Test
    void unsupported_values_are_rejected_with_the_field_name() {
        SchedulerConfig sdxl = SchedulerConfig.sdxl();
        assertMessageNames("timestep_spacing", () -> sdxl.withTimestepSpacing("even"));
        assertMessageNames("prediction_type", () -> new SchedulerConfig(1000, 0.00085, 0.012, "scaled_linear",
                "leading", 1, "v_prediction"));
        assertMessageNames("beta_schedule", () -> new SchedulerConfig(1000, 0.00085, 0.012, "cosine", "leading", 1,
                "epsilon"));
        assertMessageNames("beta", () -> new SchedulerConfig(1000, 0.012, 0.00085, "scaled_linear", "leading", 1,
                "epsilon"));
        assertMessageNames("num_train_timesteps", () -> new SchedulerConfig(1, 0.00085, 0.012, "scaled_linear",
                "leading", 0, "epsilon"));
        assertMessageNames("steps_offset", () -> new SchedulerConfig(1000, 0.00085, 0.012, "scaled_linear",
                "leading", -1, "epsilon"));
    }

    @Test
    void a_linear_beta_schedule_runs_from_beta_start_to_beta_end() {
        TrainingSchedule linear = new TrainingSchedule(new SchedulerConfig(1000, 0.0001, 0.02, "linear", "leading", 0,
                "epsilon"));
        assertEquals(1 - 0.0001, linear.alphasCumprod[0], 1e-7);
        assertEquals((1 - 0.0001) * (1 - (0.0001 + 0.0199 / 999)), linear.alphasCumprod[1], 1e-7);
    }

    @Test
    void torch_style_linspace_hits_both_ends_exactly() {
        float[] values = TrainingSchedule.torchLinspace(0.1f, 0.7f, 7);
        assertEquals(0.1f, values[0]);
        assertEquals(0.7f, values[6]);
        assertEquals(0.4f, values[3], 1e-7f);
    }

    private static void assertMessageNames(String field, Runnable construction) {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, construction::run);
        assertTrue(error.getMessage().contains(field), error.getMessage());
    }
}
