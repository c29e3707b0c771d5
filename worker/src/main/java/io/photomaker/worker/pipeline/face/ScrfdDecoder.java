package io.photomaker.worker.pipeline.face;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns the nine raw outputs of an SCRFD face detector (InsightFace det_10g: scores, box distances and
 * keypoint offsets at strides 8, 16 and 32, two anchors per cell) into faces, as InsightFace's
 * {@code SCRFD.forward} and {@code detect} do:
 * <ul>
 * <li>the anchors of stride s sit at the cell corners {@code (x * s, y * s)}, row-major over the
 * {@code (H / s) x (W / s)} cells of the input, each repeated once per anchor;</li>
 * <li>a box is {@code (cx - d0 * s, cy - d1 * s, cx + d2 * s, cy + d3 * s)}, keypoint k is
 * {@code (cx + dx_k * s, cy + dy_k * s)};</li>
 * <li>anchors scoring at least the threshold (0.5) are kept, all coordinates divided by the letterbox scale,
 * then {@link NonMaxSuppression} at IoU 0.4 leaves the faces highest score first.</li>
 * </ul>
 * Pure arithmetic; the outputs are given in the model's order: scores 8/16/32, boxes 8/16/32, keypoints 8/16/32.
 */
public final class ScrfdDecoder {

    /** Feature strides of the three detection heads. */
    public static final int[] STRIDES = {8, 16, 32};
    /** Anchors per cell. */
    public static final int ANCHORS = 2;
    /** Outputs of the detector: scores, boxes and keypoints for each stride. */
    public static final int OUTPUTS = 3 * STRIDES.length;
    /** The reference's detection threshold. */
    public static final float SCORE_THRESHOLD = 0.5f;
    /** The reference's NMS threshold. */
    public static final double NMS_THRESHOLD = 0.4;

    private ScrfdDecoder() {
    }

    /** Anchors (rows of every output) at {@code stride} for an input of {@code height x width}. */
    public static int anchors(int height, int width, int stride) {
        return (height / stride) * (width / stride) * ANCHORS;
    }

    /**
     * Every anchor scoring at least {@code threshold}, in input pixels, in output order (stride 8 first).
     *
     * @param outputs the nine outputs, each flattened ([anchors] scores, [anchors, 4] boxes, [anchors, 10] keypoints)
     */
    public static List<DetectedFace> candidates(float[][] outputs, int height, int width, float threshold) {
        if (outputs.length != OUTPUTS) {
            throw new IllegalArgumentException("an SCRFD detector has " + OUTPUTS + " outputs, got " + outputs.length);
        }
        List<DetectedFace> found = new ArrayList<>();
        for (int level = 0; level < STRIDES.length; level++) {
            int stride = STRIDES[level];
            int n = anchors(height, width, stride);
            float[] scores = checked(outputs[level], n, 1, "scores", stride);
            float[] boxes = checked(outputs[level + STRIDES.length], n, 4, "boxes", stride);
            float[] points = checked(outputs[level + 2 * STRIDES.length], n, 2 * DetectedFace.KEYPOINTS, "keypoints", stride);
            int columns = width / stride;
            for (int a = 0; a < n; a++) {
                if (scores[a] >= threshold) {
                    int cell = a / ANCHORS;
                    float cx = (cell % columns) * stride;
                    float cy = (cell / columns) * stride;
                    found.add(face(cx, cy, stride, scores[a], boxes, points, a));
                }
            }
        }
        return found;
    }

    private static DetectedFace face(float cx, float cy, int stride, float score, float[] boxes, float[] points, int a) {
        int b = a * 4;
        float[] k = new float[2 * DetectedFace.KEYPOINTS];
        for (int i = 0; i < DetectedFace.KEYPOINTS; i++) {
            k[2 * i] = cx + points[a * k.length + 2 * i] * stride;
            k[2 * i + 1] = cy + points[a * k.length + 2 * i + 1] * stride;
        }
        return new DetectedFace(cx - boxes[b] * stride, cy - boxes[b + 1] * stride,
                cx + boxes[b + 2] * stride, cy + boxes[b + 3] * stride, score, k);
    }

    /**
     * The faces in the original picture's pixels, highest score first: candidates at the reference threshold,
     * divided by {@code scale} (letterboxed size / original size), then non-maximum suppression.
     */
    public static List<DetectedFace> faces(float[][] outputs, int height, int width, double scale) {
        List<DetectedFace> scaled = candidates(outputs, height, width, SCORE_THRESHOLD).stream()
                .map(f -> f.dividedBy(scale)).toList();
        return NonMaxSuppression.apply(scaled, NMS_THRESHOLD);
    }

    private static float[] checked(float[] output, int anchors, int width, String what, int stride) {
        if (output.length != anchors * width) {
            throw new IllegalArgumentException("SCRFD " + what + " at stride " + stride + " should hold " + anchors
                    + " x " + width + " values, got " + output.length);
        }
        return output;
    }
}
