package io.photomaker.worker.pipeline;

import java.awt.image.BufferedImage;
import java.util.List;

/**
 * ID photos ready for the ID encoder, made on a CPU thread by {@link PhotoMakerPipeline#prepareIdImages}: the
 * pictures (face detection reads them), each one's cache key and the CLIP input of every photo,
 * {@code [N, 3, s, s]} normalised values ({@code valuesPerImage} per photo).
 */
public record PreparedIdImages(List<BufferedImage> images, List<String> keys, float[] pixels, int valuesPerImage) {
    public PreparedIdImages {
        images = List.copyOf(images);
        keys = List.copyOf(keys);
        if (keys.size() != images.size() || pixels.length != keys.size() * valuesPerImage) {
            throw new IllegalArgumentException(images.size() + " images need as many keys and "
                    + images.size() * valuesPerImage + " values, got " + keys.size() + " and " + pixels.length);
        }
    }
}
