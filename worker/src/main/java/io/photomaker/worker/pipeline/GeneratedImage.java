package io.photomaker.worker.pipeline;

import io.photomaker.worker.pipeline.image.VaeImageConverter;
import java.awt.image.BufferedImage;

/**
 * One output image as the VAE decoded it: {@code [3, height, width]} values in [-1, 1], its size and the
 * seed that produced it. Turning it into pixels and a file is left to the caller, so that it can happen off
 * the device thread.
 */
public final class GeneratedImage {
    private final float[] chw;
    private final int width;
    private final int height;
    private final long seed;

    public GeneratedImage(float[] chw, int width, int height, long seed) {
        if (chw.length != 3L * width * height) {
            throw new IllegalArgumentException("need " + 3L * width * height + " values for " + width + "x" + height
                    + ", got " + chw.length);
        }
        this.chw = chw;
        this.width = width;
        this.height = height;
        this.seed = seed;
    }

    /** The output a decoder would have given for {@code picture} (8-bit RGB back to values in [-1, 1]). */
    public static GeneratedImage of(BufferedImage picture, long seed) {
        int width = picture.getWidth();
        int height = picture.getHeight();
        int plane = width * height;
        float[] chw = new float[3 * plane];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = picture.getRGB(x, y);
                int k = y * width + x;
                chw[k] = ((rgb >> 16) & 255) / 127.5f - 1f;
                chw[plane + k] = ((rgb >> 8) & 255) / 127.5f - 1f;
                chw[2 * plane + k] = (rgb & 255) / 127.5f - 1f;
            }
        }
        return new GeneratedImage(chw, width, height, seed);
    }

    public int width() {
        return width;
    }

    public int height() {
        return height;
    }

    public long seed() {
        return seed;
    }

    /** The decoder's values (not a copy: do not modify). */
    public float[] values() {
        return chw;
    }

    /** The picture in 8-bit RGB. */
    public BufferedImage image() {
        return VaeImageConverter.toImage(chw, 0, height, width);
    }

    /** The picture as PNG bytes (the same values always give the same bytes). */
    public byte[] png() {
        return VaeImageConverter.toPng(image());
    }
}
