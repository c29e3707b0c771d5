package io.photomaker.worker.pipeline.face;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FaceAlignmentTest {

    @Test
    void keypoints_on_the_template_map_by_the_identity() {
        float[] template = new float[10];
        for (int i = 0; i < 10; i++) {
            template[i] = (float) FaceAlignment.ARCFACE_TEMPLATE[i];
        }
        // float keypoints: identity up to float rounding of the template
        assertArrayEquals(new double[] {1, 0, 0, 0, 1, 0}, FaceAlignment.matrix(template), 1e-4);
    }

    @Test
    void an_exact_similarity_is_recovered() {
        // dst = 0.5 * R(30 degrees) * src + (7, -3)
        double scale = 0.5;
        double angle = Math.toRadians(30);
        double c = scale * Math.cos(angle);
        double s = scale * Math.sin(angle);
        double[] src = {10, 20, 50, 22, 30, 45, 14, 70, 48, 69};
        double[] dst = new double[10];
        for (int i = 0; i < 5; i++) {
            dst[2 * i] = c * src[2 * i] - s * src[2 * i + 1] + 7;
            dst[2 * i + 1] = s * src[2 * i] + c * src[2 * i + 1] - 3;
        }
        assertArrayEquals(new double[] {c, -s, 7, s, c, -3}, FaceAlignment.similarity(src, dst), 1e-12);
    }

    @Test
    void a_mirrored_point_set_still_gets_a_rotation_not_a_reflection() {
        double[] src = {0, 0, 10, 0, 0, 10};
        double[] mirrored = {0, 0, -10, 0, 0, 10};
        double[] m = FaceAlignment.similarity(src, mirrored);
        double determinant = m[0] * m[4] - m[1] * m[3];
        assertEquals(true, determinant >= 0, "determinant " + determinant);
    }

    @Test
    void the_estimate_matches_numpy_umeyama() {
        for (FaceReferenceValues.Line line : FaceReferenceValues.lines("umeyama")) {
            double[] expected = line.doubles("matrix");
            assertArrayEquals(expected, FaceAlignment.similarity(line.doubles("src"), FaceAlignment.ARCFACE_TEMPLATE),
                    1e-9, line.get("name"));
        }
    }

    @Test
    void coinciding_points_have_no_similarity() {
        assertThrows(IllegalArgumentException.class,
                () -> FaceAlignment.similarity(new double[] {1, 1, 1, 1}, new double[] {0, 0, 5, 5}));
    }

    @Test
    void the_crop_puts_the_detected_keypoints_on_the_template() {
        // a white dot at each keypoint of a 200x200 black picture lands near the template's points in the crop
        float[] keypoints = {70, 80, 130, 78, 100, 110, 76, 140, 126, 138};
        byte[] rgb = new byte[200 * 200 * 3];
        for (int k = 0; k < 5; k++) {
            int x = Math.round(keypoints[2 * k]);
            int y = Math.round(keypoints[2 * k + 1]);
            for (int dy = -1; dy <= 1; dy++) {
                for (int dx = -1; dx <= 1; dx++) {
                    int at = ((y + dy) * 200 + x + dx) * 3;
                    rgb[at] = rgb[at + 1] = rgb[at + 2] = (byte) 255;
                }
            }
        }
        RgbRaster crop = FaceAlignment.crop(new RgbRaster(200, 200, rgb),
                new DetectedFace(60, 60, 140, 160, 0.9f, keypoints));
        assertEquals(112, crop.width());
        double[] m = FaceAlignment.matrix(keypoints);
        for (int k = 0; k < 5; k++) {
            int x = (int) Math.round(m[0] * keypoints[2 * k] + m[1] * keypoints[2 * k + 1] + m[2]);
            int y = (int) Math.round(m[3] * keypoints[2 * k] + m[4] * keypoints[2 * k + 1] + m[5]);
            assertEquals(FaceAlignment.ARCFACE_TEMPLATE[2 * k], x, 3.0, "keypoint " + k);
            assertEquals(FaceAlignment.ARCFACE_TEMPLATE[2 * k + 1], y, 3.0, "keypoint " + k);
            assertEquals(true, crop.sample(x, y, 0) > 100, "keypoint " + k + " is bright in the crop");
        }
    }

    @Test
    void the_recognizer_input_is_rgb_planes_scaled_to_minus_one_one() {
        RgbRaster one = new RgbRaster(112, 112, new byte[112 * 112 * 3]);
        one.rgb()[0] = (byte) 255;
        one.rgb()[1] = (byte) 127;
        float[] t = FaceAlignment.recognizerInput(one);
        assertEquals(3 * 112 * 112, t.length);
        assertEquals(1f, t[0], 1e-6f);
        assertEquals(-0.5f / 127.5f, t[112 * 112], 1e-6f);
        assertEquals(-1f, t[2 * 112 * 112], 1e-6f);
    }
}
