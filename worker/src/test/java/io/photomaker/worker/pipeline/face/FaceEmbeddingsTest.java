package io.photomaker.worker.pipeline.face;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class FaceEmbeddingsTest {

    @Test
    void cosine_ignores_length_and_sees_direction() {
        assertEquals(1.0, FaceEmbeddings.cosine(new float[] {1, 2, 2}, new float[] {2, 4, 4}), 1e-12);
        assertEquals(0.0, FaceEmbeddings.cosine(new float[] {1, 0}, new float[] {0, 3}), 1e-12);
        assertEquals(-1.0, FaceEmbeddings.cosine(new float[] {1, 1}, new float[] {-2, -2}), 1e-12);
        assertEquals(0.0, FaceEmbeddings.cosine(new float[] {0, 0}, new float[] {1, 1}));
    }

    @Test
    void the_reference_face_weighs_every_photo_equally_whatever_its_embedding_length() {
        // (3, 4) normalises to (0.6, 0.8), (0, 10) to (0, 1): mean (0.3, 0.9)
        float[] mean = FaceEmbeddings.meanOfNormalised(List.of(new float[] {3, 4}, new float[] {0, 10}));
        assertArrayEquals(new float[] {0.3f, 0.9f}, mean, 1e-6f);
    }
}
