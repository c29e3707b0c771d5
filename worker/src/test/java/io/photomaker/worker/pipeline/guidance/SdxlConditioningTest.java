package io.photomaker.worker.pipeline.guidance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SdxlConditioningTest {

    @Test
    void time_ids_are_original_size_crop_corner_and_target_size() {
        assertArrayEquals(new float[] {1024f, 768f, 0f, 0f, 1024f, 768f},
                SdxlConditioning.timeIds(1024, 768, 0, 0, 1024, 768));
        assertArrayEquals(new float[] {680f, 1024f, 16f, 8f, 680f, 1024f},
                SdxlConditioning.timeIds(680, 1024, 16, 8, 680, 1024));
    }

    @Test
    void time_ids_refuse_empty_sizes_and_negative_crops() {
        assertThrows(IllegalArgumentException.class, () -> SdxlConditioning.timeIds(0, 768, 0, 0, 1024, 768));
        assertThrows(IllegalArgumentException.class, () -> SdxlConditioning.timeIds(1024, 768, -1, 0, 1024, 768));
    }

    @ParameterizedTest(name = "{0}% of {1} steps -> {2}")
    @CsvSource({
        "20, 50, 10",   // demo defaults: 0.2 * 50
        "15, 20, 3",    // 0.15 * 20 = 3.0000000000000004
        "29, 100, 28",  // 0.29 * 100 = 28.999999999999996 in double, truncated like Python's int()
        "57, 100, 30",  // 57 is capped at 30
        "50, 100, 30",
        "0, 50, 0",
        "35, 30, 10"    // 0.35 * 30 = 10.5
    })
    void start_merge_step_truncates_the_style_fraction_and_caps_it_at_thirty(double percent, int steps,
            int expected) {
        assertEquals(expected, SdxlConditioning.startMergeStep(percent, steps));
    }

    @Test
    void start_merge_step_refuses_percentages_outside_zero_to_hundred() {
        assertThrows(IllegalArgumentException.class, () -> SdxlConditioning.startMergeStep(101, 50));
        assertThrows(IllegalArgumentException.class, () -> SdxlConditioning.startMergeStep(Double.NaN, 50));
        assertThrows(IllegalArgumentException.class, () -> SdxlConditioning.startMergeStep(20, 0));
    }

    @Test
    void identity_conditioning_starts_on_the_step_after_the_merge_step() {
        int start = SdxlConditioning.startMergeStep(20, 50);
        assertFalse(SdxlConditioning.useIdEmbeddings(0, start));
        assertFalse(SdxlConditioning.useIdEmbeddings(10, start));
        assertTrue(SdxlConditioning.useIdEmbeddings(11, start));
        assertTrue(SdxlConditioning.useIdEmbeddings(49, start));
    }
}
