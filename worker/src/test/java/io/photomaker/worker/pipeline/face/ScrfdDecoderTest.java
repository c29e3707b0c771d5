package io.photomaker.worker.pipeline.face;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Decoding of synthetic detector outputs, checked by hand and against a NumPy transcription of the reference. */
class ScrfdDecoderTest {

    /** Zeroed outputs for a size x size input: scores, boxes, keypoints per stride. */
    private static float[][] empty(int size) {
        float[][] out = new float[9][];
        for (int level = 0; level < 3; level++) {
            int n = ScrfdDecoder.anchors(size, size, ScrfdDecoder.STRIDES[level]);
            out[level] = new float[n];
            out[level + 3] = new float[n * 4];
            out[level + 6] = new float[n * 10];
        }
        return out;
    }

    @Test
    void anchors_are_cell_corners_row_major_each_repeated_per_anchor() {
        // 32x32 input: stride 8 has 4x4 cells, 32 anchors. Anchor 11 is cell 5 = row 1, column 1: centre (8, 8).
        float[][] out = empty(32);
        out[0][11] = 0.9f;
        float[] box = {1, 2, 3, 4};
        System.arraycopy(box, 0, out[3], 11 * 4, 4);
        float[] kps = {0.5f, -0.5f, 1, 1, 0, 0, -1, 2, 2, 2};
        System.arraycopy(kps, 0, out[6], 11 * 10, 10);
        List<DetectedFace> faces = ScrfdDecoder.candidates(out, 32, 32, 0.5f);
        assertEquals(1, faces.size());
        DetectedFace f = faces.get(0);
        // box = (8 - 1*8, 8 - 2*8, 8 + 3*8, 8 + 4*8)
        assertEquals(0f, f.x1());
        assertEquals(-8f, f.y1());
        assertEquals(32f, f.x2());
        assertEquals(40f, f.y2());
        // keypoint = centre + offset * 8
        assertArrayEquals(new float[] {12, 4, 16, 16, 8, 8, 0, 24, 24, 24}, f.keypoints());
        assertEquals(0.9f, f.score());
    }

    @Test
    void anchor_centres_at_stride_32_follow_the_columns_of_a_rectangular_input() {
        // 64 high, 96 wide: stride 32 has 2 rows x 3 columns; anchor 9 is cell 4 = row 1, column 1 -> (32, 32)
        float[][] out = new float[9][];
        for (int level = 0; level < 3; level++) {
            int n = ScrfdDecoder.anchors(64, 96, ScrfdDecoder.STRIDES[level]);
            out[level] = new float[n];
            out[level + 3] = new float[n * 4];
            out[level + 6] = new float[n * 10];
        }
        out[2][9] = 0.75f;
        DetectedFace f = ScrfdDecoder.candidates(out, 64, 96, 0.5f).get(0);
        assertEquals(32f, f.x1());
        assertEquals(32f, f.y1());
    }

    @Test
    void the_threshold_keeps_a_score_of_exactly_one_half_and_drops_anything_lower() {
        float[][] out = empty(32);
        out[1][0] = 0.5f;
        out[1][1] = 0.4999f;
        assertEquals(1, ScrfdDecoder.candidates(out, 32, 32, ScrfdDecoder.SCORE_THRESHOLD).size());
    }

    @Test
    void detections_are_divided_by_the_letterbox_scale_and_overlaps_suppressed_highest_score_first() {
        float[][] out = empty(64);
        // two anchors of cell (8, 8) with the same box: the 0.9 one wins, the 0.8 one is suppressed
        out[0][18] = 0.8f;
        out[0][19] = 0.9f;
        for (int a : new int[] {18, 19}) {
            System.arraycopy(new float[] {1, 1, 1, 1}, 0, out[3], a * 4, 4);
        }
        // another face at stride 32, anchor 6 = cell 3 = (32, 32), box (32, 32, 32 + 0.5*32, 32 + 0.5*32)
        out[2][6] = 0.6f;
        System.arraycopy(new float[] {0, 0, 0.5f, 0.5f}, 0, out[5], 6 * 4, 4);
        List<DetectedFace> faces = ScrfdDecoder.faces(out, 64, 64, 0.5);
        assertEquals(2, faces.size(), faces.toString());
        assertEquals(0.9f, faces.get(0).score());
        // (0, 0, 16, 16) / 0.5
        assertEquals(0f, faces.get(0).x1());
        assertEquals(32f, faces.get(0).x2());
        assertEquals(0.6f, faces.get(1).score());
        // (32, 32, 48, 48) / 0.5
        assertEquals(64f, faces.get(1).x1());
        assertEquals(96f, faces.get(1).y2());
    }

    @Test
    void decoding_matches_the_numpy_transcription_of_the_reference() {
        FaceReferenceValues.Line run = FaceReferenceValues.lines("scrfd").get(0);
        float[][] outputs = new float[9][];
        for (int i = 0; i < 9; i++) {
            outputs[i] = run.floats("out" + i);
        }
        int size = run.integer("size");
        List<DetectedFace> faces = ScrfdDecoder.faces(outputs, size, size, Double.parseDouble(run.get("scale")));
        List<FaceReferenceValues.Line> expected = FaceReferenceValues.lines("scrfd_face");
        assertEquals(expected.size(), faces.size());
        for (int i = 0; i < faces.size(); i++) {
            DetectedFace f = faces.get(i);
            FaceReferenceValues.Line e = expected.get(i);
            assertEquals(e.floats("score")[0], f.score(), "face " + i);
            assertArrayEquals(e.floats("box"), new float[] {f.x1(), f.y1(), f.x2(), f.y2()}, 1e-4f, "face " + i);
            assertArrayEquals(e.floats("keypoints"), f.keypoints(), 1e-4f, "face " + i);
        }
        assertTrue(faces.size() > 5, "the reference run should exercise suppression: " + faces.size());
    }

    @Test
    void outputs_of_the_wrong_size_are_refused_with_the_stride_named() {
        float[][] out = empty(32);
        out[4] = new float[3];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ScrfdDecoder.candidates(out, 32, 32, 0.5f));
        assertTrue(e.getMessage().contains("boxes at stride 16"), e.getMessage());
    }
}
