package io.photomaker.worker.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class IdEmbeddingCacheTest {

    @Test
    void the_least_recently_used_entry_is_evicted_first() {
        var cache = new IdEmbeddingCache(2);
        cache.put("a", new float[] {1});
        cache.put("b", new float[] {2});
        cache.get("a");
        cache.put("c", new float[] {3});

        assertTrue(cache.get("a").isPresent());
        assertTrue(cache.get("b").isEmpty());
        assertTrue(cache.get("c").isPresent());
        assertEquals(2, cache.size());
    }

    @Test
    void stored_and_returned_embeddings_are_copies() {
        var cache = new IdEmbeddingCache(4);
        float[] embedding = {1, 2};
        cache.put("k", embedding);
        embedding[0] = 99;
        cache.get("k").orElseThrow()[1] = 99;

        assertArrayEquals(new float[] {1, 2}, cache.get("k").orElseThrow());
    }

    @Test
    void the_key_depends_on_pixels_and_size_not_on_the_image_object() {
        BufferedImage a = PipelineFixtures.photo(1, 40, 30);
        BufferedImage sameAgain = PipelineFixtures.photo(1, 40, 30);
        BufferedImage onePixelChanged = PipelineFixtures.photo(1, 40, 30);
        onePixelChanged.setRGB(5, 5, onePixelChanged.getRGB(5, 5) ^ 1);

        assertEquals(IdEmbeddingCache.keyOf(a), IdEmbeddingCache.keyOf(sameAgain));
        assertNotEquals(IdEmbeddingCache.keyOf(a), IdEmbeddingCache.keyOf(onePixelChanged));
        assertNotEquals(IdEmbeddingCache.keyOf(new BufferedImage(2, 6, BufferedImage.TYPE_INT_RGB)),
                IdEmbeddingCache.keyOf(new BufferedImage(3, 4, BufferedImage.TYPE_INT_RGB)));
        assertEquals(64, IdEmbeddingCache.keyOf(a).length());
    }
}
