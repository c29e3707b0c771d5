package io.photomaker.worker.pipeline.face;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The size-retry loop on a scripted detection (the networks are exercised in FaceAnalyzerTest). */
class FaceAnalyzerRetryTest {

    private static final DetectedFace FACE = new DetectedFace(1, 2, 30, 40, 0.7f, new float[10]);

    @Test
    void smaller_detector_sizes_are_tried_in_order_until_a_face_is_found() {
        List<Integer> tried = new ArrayList<>();
        FaceAnalyzer analyzer = new FaceAnalyzer(null, FaceAnalyzer.DETECTION_SIZES, (picture, size) -> {
            tried.add(size);
            return new FaceAnalyzer.Detection(size == 512 ? List.of(FACE) : List.of(), size, 1.0, null);
        });
        FaceAnalyzer.Detection d = analyzer.detect(RgbRaster.blank(10, 10));
        assertEquals(List.of(640, 576, 512), tried);
        assertEquals(512, d.size());
        assertEquals(FACE, d.best().orElseThrow());
    }

    @Test
    void when_no_size_finds_a_face_all_of_them_were_tried() {
        List<Integer> tried = new ArrayList<>();
        FaceAnalyzer analyzer = new FaceAnalyzer(null, FaceAnalyzer.DETECTION_SIZES, (picture, size) -> {
            tried.add(size);
            return new FaceAnalyzer.Detection(List.of(), size, 1.0, null);
        });
        assertTrue(analyzer.firstFace(RgbRaster.blank(10, 10)).isEmpty());
        assertEquals(List.of(640, 576, 512, 448, 384, 320, 256), tried);
    }
}
