package io.photomaker.worker.pipeline;

import java.util.List;

/**
 * Row arithmetic on prompt embeddings laid out [tokens, width] row-major: joining the two text encoders'
 * hidden states side by side, taking the class-token rows out and splicing fused rows back in.
 */
public final class PromptEmbeddingLayout {

    private PromptEmbeddingLayout() {
    }

    /** Per token, encoder 1's row then encoder 2's row: [tokens, width1 + width2]. */
    public static float[] concatenate(float[] hidden1, int width1, float[] hidden2, int width2, int tokens) {
        if (hidden1.length != tokens * width1 || hidden2.length != tokens * width2) {
            throw new IllegalArgumentException("hidden states must be " + tokens + "x" + width1 + " and " + tokens
                    + "x" + width2 + ", were " + hidden1.length + " and " + hidden2.length + " values");
        }
        int width = width1 + width2;
        float[] joined = new float[tokens * width];
        for (int t = 0; t < tokens; t++) {
            System.arraycopy(hidden1, t * width1, joined, t * width, width1);
            System.arraycopy(hidden2, t * width2, joined, t * width + width1, width2);
        }
        return joined;
    }

    /** Rows {@code [first, first + count)} of an embedding of the given width, as one array. */
    public static float[] rows(float[] embedding, int width, int first, int count) {
        checkRange(embedding, width, first, count);
        float[] out = new float[count * width];
        System.arraycopy(embedding, first * width, out, 0, count * width);
        return out;
    }

    /** A copy of {@code embedding} whose rows {@code [first, first + count)} are replaced by {@code rows}. */
    public static float[] splice(float[] embedding, int width, int first, int count, float[] rows) {
        checkRange(embedding, width, first, count);
        if (rows.length != count * width) {
            throw new IllegalArgumentException("expected " + count + " rows of " + width + ", got " + rows.length + " values");
        }
        float[] out = embedding.clone();
        System.arraycopy(rows, 0, out, first * width, rows.length);
        return out;
    }

    /** The per-image ID embeddings stacked in order as rows of {@code width} ([sum of rows, width]). */
    public static float[] stack(List<float[]> embeddings, int width) {
        int total = 0;
        for (float[] e : embeddings) {
            if (e.length == 0 || e.length % width != 0) {
                throw new IllegalArgumentException("each ID embedding must be whole rows of " + width + " values, got " + e.length);
            }
            total += e.length;
        }
        float[] out = new float[total];
        int position = 0;
        for (float[] e : embeddings) {
            System.arraycopy(e, 0, out, position, e.length);
            position += e.length;
        }
        return out;
    }

    private static void checkRange(float[] embedding, int width, int first, int count) {
        int tokens = embedding.length / width;
        if (embedding.length % width != 0 || first < 0 || count < 0 || first + count > tokens) {
            throw new IllegalArgumentException("rows [" + first + ", " + (first + count) + ") are outside an embedding of "
                    + tokens + " rows of " + width);
        }
    }
}
