package io.photomaker.worker.pipeline.face;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class NonMaxSuppressionTest {

    private static DetectedFace box(float x1, float y1, float x2, float y2, float score) {
        return new DetectedFace(x1, y1, x2, y2, score, new float[10]);
    }

    @Test
    void overlap_counts_pixels_inclusively() {
        // (0,0)-(9,9) is 10x10 = 100 pixels; (5,0)-(14,9) likewise; they share columns 5..9: 5x10 = 50
        double iou = NonMaxSuppression.overlap(box(0, 0, 9, 9, 1), box(5, 0, 14, 9, 1));
        assertEquals(50.0 / 150.0, iou, 1e-12);
        // touching boxes share one column under the +1 convention: 1x10 / (100 + 100 - 10)
        assertEquals(10.0 / 190.0, NonMaxSuppression.overlap(box(0, 0, 9, 9, 1), box(9, 0, 18, 9, 1)), 1e-12);
        assertEquals(0.0, NonMaxSuppression.overlap(box(0, 0, 9, 9, 1), box(20, 20, 29, 29, 1)));
    }

    @Test
    void an_overlap_above_the_threshold_is_dropped_and_one_at_or_below_kept() {
        DetectedFace best = box(0, 0, 9, 9, 0.9f);
        DetectedFace third = box(5, 0, 14, 9, 0.8f); // IoU 1/3
        DetectedFace half = box(0, 0, 9, 9, 0.7f);   // IoU 1
        List<DetectedFace> kept = NonMaxSuppression.apply(List.of(half, third, best), 0.3);
        assertEquals(List.of(best), kept);
        assertEquals(List.of(best, third), NonMaxSuppression.apply(List.of(half, third, best), 0.4));
    }

    @Test
    void a_suppressed_face_no_longer_suppresses_others() {
        DetectedFace a = box(0, 0, 9, 9, 0.9f);
        DetectedFace b = box(6, 0, 15, 9, 0.8f);   // overlaps a: 4x10 / 160 = 0.25
        DetectedFace c = box(12, 0, 21, 9, 0.7f);  // overlaps b by 0.25 but not a
        assertEquals(List.of(a, c), NonMaxSuppression.apply(List.of(a, b, c), 0.2));
    }
}
