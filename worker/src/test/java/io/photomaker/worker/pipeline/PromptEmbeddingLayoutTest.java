package io.photomaker.worker.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class PromptEmbeddingLayoutTest {

    @Test
    void concatenation_puts_encoder_one_before_encoder_two_in_every_row() {
        float[] first = {1, 2, 3, 4};        // 2 tokens x 2
        float[] second = {10, 20, 30, 40, 50, 60}; // 2 tokens x 3

        float[] joined = PromptEmbeddingLayout.concatenate(first, 2, second, 3, 2);

        assertArrayEquals(new float[] {1, 2, 10, 20, 30, 3, 4, 40, 50, 60}, joined);
    }

    @Test
    void splicing_replaces_only_the_given_rows_and_leaves_the_input_untouched() {
        float[] embedding = {0, 0, 1, 1, 2, 2, 3, 3};
        float[] copy = embedding.clone();

        float[] spliced = PromptEmbeddingLayout.splice(embedding, 2, 1, 2, new float[] {9, 9, 8, 8});

        assertArrayEquals(new float[] {0, 0, 9, 9, 8, 8, 3, 3}, spliced);
        assertArrayEquals(copy, embedding);
        assertArrayEquals(new float[] {1, 1, 2, 2}, PromptEmbeddingLayout.rows(embedding, 2, 1, 2));
    }

    @Test
    void stacking_keeps_the_order_of_the_images() {
        float[] stacked = PromptEmbeddingLayout.stack(List.of(new float[] {1, 2}, new float[] {3, 4, 5, 6}), 2);

        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, stacked);
    }

    @Test
    void rows_outside_the_embedding_and_partial_rows_are_refused() {
        float[] embedding = new float[8];

        assertThrows(IllegalArgumentException.class, () -> PromptEmbeddingLayout.rows(embedding, 2, 3, 2));
        assertThrows(IllegalArgumentException.class, () -> PromptEmbeddingLayout.splice(embedding, 2, 0, 1, new float[3]));
        assertThrows(IllegalArgumentException.class, () -> PromptEmbeddingLayout.stack(List.of(new float[3]), 2));
    }
}
