package io.photomaker.worker.pipeline.face;

import java.util.List;

/**
 * Arithmetic on ArcFace embeddings: cosine similarity, and the reference face of a set of ID photos (the mean
 * of their L2-normalised embeddings), against which generated outputs are compared.
 */
public final class FaceEmbeddings {

    private FaceEmbeddings() {
    }

    /** Cosine similarity of two embeddings of the same width, in [-1, 1]; 0 when either is all zeros. */
    public static double cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("embeddings of different widths: " + a.length + " and " + b.length);
        }
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
        }
        return na == 0 || nb == 0 ? 0 : dot / Math.sqrt(na * nb);
    }

    /** The mean of the L2-normalised embeddings (each photo counts once whatever its embedding's length). */
    public static float[] meanOfNormalised(List<float[]> embeddings) {
        if (embeddings.isEmpty()) {
            throw new IllegalArgumentException("no embeddings to average");
        }
        int width = embeddings.get(0).length;
        double[] sum = new double[width];
        for (float[] e : embeddings) {
            if (e.length != width) {
                throw new IllegalArgumentException("embeddings of different widths: " + e.length + " and " + width);
            }
            double norm = 0;
            for (float v : e) {
                norm += (double) v * v;
            }
            double scale = norm == 0 ? 0 : 1 / Math.sqrt(norm);
            for (int i = 0; i < width; i++) {
                sum[i] += e[i] * scale;
            }
        }
        float[] mean = new float[width];
        for (int i = 0; i < width; i++) {
            mean[i] = (float) (sum[i] / embeddings.size());
        }
        return mean;
    }
}
