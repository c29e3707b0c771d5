package io.photomaker.worker.pipeline;

import java.util.List;

/**
 * ID photos ready for the ID encoder: each image's cache key and the encoder's input, {@code [N, 3, s, s]}
 * CLIP-normalised values ({@code valuesPerImage} per image). Made on a CPU thread by
 * {@link PhotoMakerPipeline#prepareIdImages}.
 */
public record PreparedIdImages(List<String> keys, float[] pixels, int valuesPerImage) {
    public PreparedIdImages {
        keys = List.copyOf(keys);
        if (pixels.length != keys.size() * valuesPerImage) {
            throw new IllegalArgumentException(keys.size() + " images need " + keys.size() * valuesPerImage
                    + " values, got " + pixels.length);
        }
    }
}
