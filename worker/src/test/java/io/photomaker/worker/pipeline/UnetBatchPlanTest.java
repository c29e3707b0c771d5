package io.photomaker.worker.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class UnetBatchPlanTest {
    private static final long GIB = 1L << 30;

    @Test
    void a_configured_limit_wins_up_to_what_the_model_takes() {
        var plan = new UnetBatchPlan(3, true, OptionalLong.of(80 * GIB));

        assertEquals(3, plan.outputsPerCall(128, 128, Integer.MAX_VALUE));
        assertEquals(1, plan.outputsPerCall(128, 128, 1));
    }

    @Test
    void on_a_gpu_the_limit_follows_the_memory_left_after_the_models() {
        assertEquals(8, new UnetBatchPlan(0, true, OptionalLong.of(80 * GIB)).outputsPerCall(128, 128, 99));
        assertEquals(4, new UnetBatchPlan(0, true, OptionalLong.of(24 * GIB)).outputsPerCall(128, 128, 99));
        assertEquals(2, new UnetBatchPlan(0, true, OptionalLong.of(16 * GIB)).outputsPerCall(128, 128, 99));
        assertEquals(1, new UnetBatchPlan(0, true, OptionalLong.of(12 * GIB)).outputsPerCall(128, 128, 99));
    }

    @Test
    void smaller_images_fit_more_outputs_and_tiny_memory_still_runs_one() {
        var plan = new UnetBatchPlan(0, true, OptionalLong.of(16 * GIB));

        assertEquals(8, plan.outputsPerCall(64, 64, 99));
        assertEquals(1, new UnetBatchPlan(0, true, OptionalLong.of(4 * GIB)).outputsPerCall(128, 128, 99));
    }

    @Test
    void unknown_gpu_memory_runs_one_output_per_call_and_the_cpu_is_unconstrained() {
        assertEquals(1, new UnetBatchPlan(0, true, OptionalLong.empty()).outputsPerCall(128, 128, 99));
        assertEquals(8, UnetBatchPlan.cpu().outputsPerCall(128, 128, 99));
    }

    @Test
    void a_negative_limit_is_rejected() {
        assertThrows(IllegalArgumentException.class, () -> new UnetBatchPlan(-1, false, OptionalLong.empty()));
    }
}
