package io.photomaker.worker.pipeline.face;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.common.model.ModelManifest;
import io.photomaker.common.model.ModelRole;
import io.photomaker.testkit.fixtures.SamplePortraits;
import io.photomaker.testkit.models.TinyModelBuilder;
import io.photomaker.worker.onnx.ExecutionConfig;
import io.photomaker.worker.onnx.FaceDetector;
import io.photomaker.worker.onnx.FaceRecognizer;
import io.photomaker.worker.onnx.SessionFactory;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The face path on the testkit's tiny SCRFD and ArcFace models, run by ONNX Runtime. */
class FaceAnalyzerTest {

    @TempDir
    static Path dir;
    private static FaceDetector detector;
    private static FaceRecognizer recognizer;
    private static FaceAnalyzer analyzer;

    @BeforeAll
    static void load() throws Exception {
        ModelManifest manifest = TinyModelBuilder.create().photomakerVersion("v2").build(dir);
        SessionFactory sessions = SessionFactory.create(ExecutionConfig.cpu(1));
        detector = new FaceDetector(sessions, manifest.modelPath(dir, ModelRole.FACE_DETECTOR));
        recognizer = new FaceRecognizer(sessions, manifest.modelPath(dir, ModelRole.FACE_RECOGNIZER));
        analyzer = new FaceAnalyzer(detector, recognizer);
    }

    @AfterAll
    static void close() {
        detector.close();
        recognizer.close();
    }

    @Test
    void a_drawn_portrait_yields_one_face_where_it_was_drawn() {
        for (long seed = 1; seed <= 6; seed++) {
            int width = 280 + (int) seed * 20;
            int height = 400;
            SamplePortraits.Layout layout = SamplePortraits.layout(seed, width, height);
            FaceAnalyzer.Detection detection = analyzer.detect(RgbRaster.of(SamplePortraits.draw(seed, width, height)));
            assertEquals(1, detection.faces().size(), "seed " + seed + ": " + detection.faces());
            DetectedFace face = detection.faces().get(0);
            double tolerance = 0.03 * layout.faceWidth();
            String where = "seed " + seed + ": " + face + " vs " + layout;
            assertEquals(layout.faceX1(), face.x1(), tolerance, where);
            assertEquals(layout.faceX2(), face.x2(), tolerance, where);
            assertEquals(layout.faceY1(), face.y1(), 0.03 * layout.faceHeight(), where);
            assertEquals(layout.faceY2(), face.y2(), 0.03 * layout.faceHeight(), where);
            float[] k = face.keypoints();
            for (int i = 0; i < 10; i++) {
                assertEquals(layout.keypoints()[i], k[i], 0.05 * layout.faceWidth(), where + " keypoint value " + i);
            }
            assertTrue(face.score() >= 0.5f, where);
        }
    }

    @Test
    void a_picture_without_a_face_yields_none_at_any_size() {
        Optional<FaceAnalyzer.EmbeddedFace> none = analyzer.firstFace(RgbRaster.of(SamplePortraits.drawWithoutFace(3, 320, 400)));
        assertTrue(none.isEmpty());
    }
}
