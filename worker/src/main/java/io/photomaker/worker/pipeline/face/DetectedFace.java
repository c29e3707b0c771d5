package io.photomaker.worker.pipeline.face;

import java.util.Arrays;

/**
 * One face found by the detector, in the picture's pixel coordinates: its box (x1, y1, x2, y2), the
 * detector's score, and five keypoints (x, y pairs: left eye, right eye, nose tip, left and right mouth
 * corner, "left" meaning the picture's left).
 */
public record DetectedFace(float x1, float y1, float x2, float y2, float score, float[] keypoints) {

    /** Keypoints per face. */
    public static final int KEYPOINTS = 5;

    public DetectedFace {
        if (keypoints.length != 2 * KEYPOINTS) {
            throw new IllegalArgumentException("a face has " + KEYPOINTS + " keypoints (10 values), got "
                    + keypoints.length + " values");
        }
        keypoints = keypoints.clone();
    }

    @Override
    public float[] keypoints() {
        return keypoints.clone();
    }

    /** The same face in another pixel scale: every coordinate divided by {@code scale}. */
    public DetectedFace dividedBy(double scale) {
        float[] k = new float[keypoints.length];
        for (int i = 0; i < k.length; i++) {
            k[i] = (float) (keypoints[i] / scale);
        }
        return new DetectedFace((float) (x1 / scale), (float) (y1 / scale), (float) (x2 / scale),
                (float) (y2 / scale), score, k);
    }

    /** Box area with the +1 pixel convention of the reference NMS ({@code (x2 - x1 + 1) * (y2 - y1 + 1)}). */
    public double areaPlusOne() {
        return ((double) x2 - x1 + 1) * ((double) y2 - y1 + 1);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DetectedFace f && f.x1 == x1 && f.y1 == y1 && f.x2 == x2 && f.y2 == y2
                && f.score == score && Arrays.equals(f.keypoints, keypoints);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(new float[] {x1, y1, x2, y2, score}) * 31 + Arrays.hashCode(keypoints);
    }

    @Override
    public String toString() {
        return "face[" + x1 + "," + y1 + "," + x2 + "," + y2 + " score " + score + " keypoints "
                + Arrays.toString(keypoints) + "]";
    }
}
