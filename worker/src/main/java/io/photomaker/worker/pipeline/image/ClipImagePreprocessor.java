package io.photomaker.worker.pipeline.image;

import java.awt.image.BufferedImage;

/**
 * CLIP image preprocessing exactly as transformers' {@code CLIPImageProcessor} does it for PhotoMaker's ID encoder:
 * shortest side to {@code size} with Pillow-compatible bicubic resampling (long side {@code int(size * long /
 * short)}), centre crop {@code size x size} (offsets rounded down), {@code x / 255} in double rounded to float32,
 * then {@code (x - mean) / std} in float32 with the OpenAI CLIP mean and std, written channel-first.
 */
public final class ClipImagePreprocessor {

    /** The ID encoder's input size. */
    public static final int SIZE = 224;
    /** OpenAI CLIP per-channel mean (R, G, B). */
    public static final float[] MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    /** OpenAI CLIP per-channel standard deviation (R, G, B). */
    public static final float[] STD = {0.26862954f, 0.26130258f, 0.27577711f};

    private static final double RESCALE = 1.0 / 255;

    private ClipImagePreprocessor() {
    }

    /**
     * Writes the normalised {@code [3, size, size]} tensor of {@code image} (opaque RGB, as
     * {@code ImageDecoder.decode} returns) into {@code out} starting at {@code offset}.
     */
    public static void toTensor(BufferedImage image, int size, float[] out, int offset) {
        if (size <= 0) {
            throw new IllegalArgumentException("size must be positive, got " + size);
        }
        int plane = size * size;
        if (offset < 0 || out.length - offset < 3 * plane) {
            throw new IllegalArgumentException("out needs " + 3 * plane + " floats from offset " + offset
                    + ", has " + (out.length - offset));
        }
        int width = image.getWidth();
        int height = image.getHeight();
        int[] resized = resizedSize(width, height, size);
        int outHeight = resized[0];
        int outWidth = resized[1];
        int top = (outHeight - size) / 2;
        int left = (outWidth - size) / 2;
        int[] pixels = image.getRGB(0, 0, width, height, null, 0, width);
        int[] window = PilBicubicResampler.resizeWindow(pixels, width, height, outWidth, outHeight, left, top, size,
                size);
        for (int k = 0; k < plane; k++) {
            int pixel = window[k];
            out[offset + k] = normalise((pixel >> 16) & 0xFF, 0);
            out[offset + plane + k] = normalise((pixel >> 8) & 0xFF, 1);
            out[offset + 2 * plane + k] = normalise(pixel & 0xFF, 2);
        }
    }

    /**
     * transformers' get_resize_output_image_size for a shortest-edge size: {@code {height, width}} with the short
     * side equal to {@code size} and the long side {@code int(size * long / short)}.
     */
    public static int[] resizedSize(int width, int height, int size) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("image must not be empty, got " + width + "x" + height);
        }
        boolean portrait = width <= height;
        int shortSide = portrait ? width : height;
        int longSide = portrait ? height : width;
        int newLong = (int) ((double) size * longSide / shortSide);
        return portrait ? new int[] {newLong, size} : new int[] {size, newLong};
    }

    private static float normalise(int value, int channel) {
        float scaled = (float) (value * RESCALE);
        return (scaled - MEAN[channel]) / STD[channel];
    }
}
