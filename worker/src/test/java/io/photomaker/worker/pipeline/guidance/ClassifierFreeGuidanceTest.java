package io.photomaker.worker.pipeline.guidance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ClassifierFreeGuidanceTest {

    @Test
    void guidance_moves_from_the_unconditional_prediction_towards_the_conditional_one() {
        float[] out = new float[2];
        ClassifierFreeGuidance.combine(new float[] {1f, 2f}, new float[] {3f, 0f}, 5f, 0f, out);
        // 1 + 5 * (3 - 1) = 11, 2 + 5 * (0 - 2) = -8
        assertArrayEquals(new float[] {11f, -8f}, out);
    }

    @Test
    void a_scale_of_one_returns_the_conditional_prediction() {
        float[] cond = {0.25f, -3f, 7.5f};
        float[] out = new float[3];
        ClassifierFreeGuidance.combine(new float[] {9f, 9f, 9f}, cond, 1f, 0f, out);
        assertArrayEquals(cond, out);
    }

    @Test
    void full_rescale_gives_the_guided_prediction_the_spread_of_the_conditional_one() {
        float[] out = new float[3];
        ClassifierFreeGuidance.combine(new float[] {1f, 2f, 3f}, new float[] {2f, 2f, 6f}, 3f, 1f, out);
        // guided = [4, 2, 12]; sum of squared deviations: cond 96/9, guided 56; ratio sqrt(96/9/56) = 0.436436
        assertArrayEquals(new float[] {1.745743f, 0.872872f, 5.237229f}, out, 2e-6f);
    }

    @Test
    void partial_rescale_blends_rescaled_and_plain_guidance() {
        float[] out = new float[3];
        ClassifierFreeGuidance.combine(new float[] {1f, 2f, 3f}, new float[] {2f, 2f, 6f}, 3f, 0.25f, out);
        // 0.25 * rescaled + 0.75 * [4, 2, 12]
        assertArrayEquals(new float[] {3.436436f, 1.718218f, 10.309307f}, out, 4e-6f);
    }

    @Test
    void the_batch_of_two_layout_gives_the_same_result_as_separate_arrays() {
        float[] uncond = {0.1f, -0.7f, 1.3f, 0.2f};
        float[] cond = {0.4f, -0.1f, 0.9f, -0.5f};
        float[] batch = {0.1f, -0.7f, 1.3f, 0.2f, 0.4f, -0.1f, 0.9f, -0.5f};
        float[] separate = new float[4];
        float[] batched = new float[4];
        ClassifierFreeGuidance.combine(uncond, cond, 7.5f, 0.7f, separate);
        ClassifierFreeGuidance.combine(batch, 7.5f, 0.7f, batched);
        assertArrayEquals(separate, batched);
    }

    @Test
    void the_output_may_overwrite_either_input() {
        float[] uncond = {1f, 2f};
        ClassifierFreeGuidance.combine(uncond, new float[] {3f, 0f}, 5f, 0.5f, uncond);
        float[] cond = {3f, 0f};
        ClassifierFreeGuidance.combine(new float[] {1f, 2f}, cond, 5f, 0.5f, cond);
        float[] separate = new float[2];
        ClassifierFreeGuidance.combine(new float[] {1f, 2f}, new float[] {3f, 0f}, 5f, 0.5f, separate);
        assertArrayEquals(separate, uncond);
        assertArrayEquals(separate, cond);
    }

    @Test
    void a_constant_guided_prediction_is_left_unscaled_instead_of_dividing_by_zero() {
        float[] out = new float[3];
        ClassifierFreeGuidance.combine(new float[] {2f, 2f, 2f}, new float[] {2f, 2f, 2f}, 5f, 0.7f, out);
        assertArrayEquals(new float[] {2f, 2f, 2f}, out);
    }

    @Test
    void mismatched_buffers_and_bad_parameters_are_rejected() {
        assertThrows(IllegalArgumentException.class,
                () -> ClassifierFreeGuidance.combine(new float[2], new float[3], 5f, 0f, new float[2]));
        assertThrows(IllegalArgumentException.class,
                () -> ClassifierFreeGuidance.combine(new float[5], 5f, 0f, new float[2]));
        assertThrows(IllegalArgumentException.class,
                () -> ClassifierFreeGuidance.combine(new float[2], new float[2], 5f, 1.5f, new float[2]));
        assertThrows(IllegalArgumentException.class,
                () -> ClassifierFreeGuidance.combine(new float[2], new float[2], Float.NaN, 0f, new float[2]));
    }
}
