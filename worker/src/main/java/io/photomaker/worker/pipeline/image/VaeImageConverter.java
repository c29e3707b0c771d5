package io.photomaker.worker.pipeline.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Turns VAE decoder output into pictures as diffusers' {@code VaeImageProcessor.postprocess} does:
 * {@code (x * 0.5 + 0.5)} clamped to [0, 1], times 255 and rounded half to even (numpy's round) to bytes; then
 * PNG. Also undoes the latent scaling before decoding. The same floats always give the same PNG bytes.
 */
public final class VaeImageConverter {

    /** SDXL's VAE scaling factor (latents are divided by it before decoding). */
    public static final float SDXL_SCALING_FACTOR = 0.13025f;

    private VaeImageConverter() {
    }

    /** {@code out = latents / scalingFactor} element-wise ({@code out} may be {@code latents}). */
    public static void unscaleLatents(float[] latents, float scalingFactor, float[] out) {
        if (!(scalingFactor > 0f) || !Float.isFinite(scalingFactor)) {
            throw new IllegalArgumentException("scaling factor must be positive, got " + scalingFactor);
        }
        if (latents.length != out.length) {
            throw new IllegalArgumentException("latents and out differ in length: " + latents.length + " vs "
                    + out.length);
        }
        for (int k = 0; k < latents.length; k++) {
            out[k] = latents[k] / scalingFactor;
        }
    }

    /** The RGB image of one decoded sample {@code [3, height, width]} starting at {@code offset} in {@code chw}. */
    public static BufferedImage toImage(float[] chw, int offset, int height, int width) {
        if (height <= 0 || width <= 0) {
            throw new IllegalArgumentException("image must not be empty, got " + width + "x" + height);
        }
        int plane = height * width;
        if (offset < 0 || chw.length - offset < 3 * plane) {
            throw new IllegalArgumentException("need " + 3 * plane + " floats from offset " + offset + ", have "
                    + (chw.length - offset));
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] pixels = ((DataBufferInt) image.getRaster().getDataBuffer()).getData();
        for (int k = 0; k < plane; k++) {
            int r = toByte(chw[offset + k]);
            int g = toByte(chw[offset + plane + k]);
            int b = toByte(chw[offset + 2 * plane + k]);
            pixels[k] = (r << 16) | (g << 8) | b;
        }
        return image;
    }

    /** PNG bytes of one decoded sample {@code [3, height, width]} starting at {@code offset} in {@code chw}. */
    public static byte[] toPng(float[] chw, int offset, int height, int width) {
        return toPng(toImage(chw, offset, height, width));
    }

    /** PNG bytes of an image. */
    public static byte[] toPng(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(image.getWidth() * image.getHeight());
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        // an in-memory stream: ImageIO.write(.., OutputStream) may spill to a temporary file
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(image);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /** One VAE output value in [-1, 1] to a byte; NaN becomes 0. */
    static int toByte(float value) {
        float unit = value * 0.5f + 0.5f;
        if (!(unit > 0f)) {
            return 0;
        }
        if (unit > 1f) {
            unit = 1f;
        }
        return (int) Math.rint(unit * 255f);
    }
}
