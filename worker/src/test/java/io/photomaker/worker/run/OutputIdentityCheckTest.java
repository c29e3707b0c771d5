package io.photomaker.worker.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.photomaker.worker.pipeline.GeneratedImage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The regeneration control flow, with images standing for seeds and a table of similarities. */
class OutputIdentityCheckTest {

    private static GeneratedImage image(long seed) {
        return new GeneratedImage(new float[3 * 8 * 8], 8, 8, seed);
    }

    /** Scores by seed from a table; seeds missing from it show no face. */
    private static OutputIdentityCheck.Scorer table(Map<Long, Double> bySeed) {
        return img -> bySeed.get(img.seed());
    }

    @Test
    void without_a_minimum_outputs_are_only_scored() {
        List<Long> generated = new ArrayList<>();
        var checked = OutputIdentityCheck.run(List.of(image(10), image(11)), null, 5, 12,
                seed -> { generated.add(seed); return image(seed); }, table(Map.of(10L, 0.2)));
        assertEquals(List.of(), generated);
        assertEquals(0.2, checked.get(0).similarity());
        assertEquals(null, checked.get(1).similarity());
        assertEquals(1, checked.get(1).generations());
    }

    @Test
    void an_output_below_the_minimum_is_regenerated_with_the_next_unused_seeds_until_one_passes() {
        Map<Long, Double> scores = new HashMap<>(Map.of(10L, 0.9, 11L, 0.1, 12L, 0.3, 13L, 0.7));
        List<Long> generated = new ArrayList<>();
        var checked = OutputIdentityCheck.run(List.of(image(10), image(11)), 0.6, 5, 12,
                seed -> { generated.add(seed); return image(seed); }, table(scores));
        assertEquals(List.of(12L, 13L), generated);
        assertEquals(10L, checked.get(0).image().seed());
        assertEquals(1, checked.get(0).generations());
        assertEquals(13L, checked.get(1).image().seed());
        assertEquals(0.7, checked.get(1).similarity());
        assertEquals(3, checked.get(1).generations());
    }

    @Test
    void when_the_budget_runs_out_the_best_image_tried_is_kept() {
        Map<Long, Double> scores = Map.of(20L, 0.2, 21L, 0.4, 22L, 0.3);
        var checked = OutputIdentityCheck.run(List.of(image(20)), 0.9, 2, 21, OutputIdentityCheckTest::image, table(scores));
        assertEquals(21L, checked.get(0).image().seed());
        assertEquals(0.4, checked.get(0).similarity());
        assertEquals(3, checked.get(0).generations());
    }

    @Test
    void an_output_without_a_face_counts_as_below_and_earlier_outputs_get_the_budget_first() {
        GeneratedImage faceless = image(30);
        Map<Long, Double> scores = Map.of(31L, 0.1);
        var checked = OutputIdentityCheck.run(List.of(faceless, image(31)), 0.5, 1, 32,
                OutputIdentityCheckTest::image, table(scores));
        // seed 32 has no face either: the first output keeps its original image, the budget is spent
        assertSame(faceless, checked.get(0).image());
        assertEquals(2, checked.get(0).generations());
        assertEquals(1, checked.get(1).generations());
        assertEquals(0.1, checked.get(1).similarity());
    }
}
