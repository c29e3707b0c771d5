package io.photomaker.worker.pipeline.face;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Greedy non-maximum suppression as InsightFace's SCRFD does it: visit faces by descending score, keep one,
 * drop every later face whose overlap with it exceeds the threshold. Overlap is intersection over union with
 * the +1 pixel convention: widths and heights are {@code x2 - x1 + 1}, intersections
 * {@code max(0, min(x2) - max(x1) + 1)}. Faces with equal scores keep their input order.
 */
public final class NonMaxSuppression {

    private NonMaxSuppression() {
    }

    /** The faces kept, highest score first. */
    public static List<DetectedFace> apply(List<DetectedFace> faces, double iouThreshold) {
        List<DetectedFace> order = new ArrayList<>(faces);
        order.sort(Comparator.comparingDouble((DetectedFace f) -> f.score()).reversed());
        List<DetectedFace> kept = new ArrayList<>();
        boolean[] dropped = new boolean[order.size()];
        for (int i = 0; i < order.size(); i++) {
            if (dropped[i]) {
                continue;
            }
            DetectedFace keep = order.get(i);
            kept.add(keep);
            for (int j = i + 1; j < order.size(); j++) {
                if (!dropped[j] && overlap(keep, order.get(j)) > iouThreshold) {
                    dropped[j] = true;
                }
            }
        }
        return kept;
    }

    /** Intersection over union of two boxes with the +1 pixel convention. */
    public static double overlap(DetectedFace a, DetectedFace b) {
        double w = Math.max(0.0, (double) Math.min(a.x2(), b.x2()) - Math.max(a.x1(), b.x1()) + 1);
        double h = Math.max(0.0, (double) Math.min(a.y2(), b.y2()) - Math.max(a.y1(), b.y1()) + 1);
        double intersection = w * h;
        return intersection / (a.areaPlusOne() + b.areaPlusOne() - intersection);
    }
}
