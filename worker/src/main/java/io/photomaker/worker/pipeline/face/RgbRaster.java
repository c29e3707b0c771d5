package io.photomaker.worker.pipeline.face;

import java.awt.image.BufferedImage;

/**
 * An 8-bit RGB picture as interleaved bytes, row by row ({@code rgb[(y * width + x) * 3 + c]}, c = R, G, B):
 * the form the face detector's letterbox and the alignment warp work on, like a NumPy {@code uint8 [H, W, 3]}.
 */
public record RgbRaster(int width, int height, byte[] rgb) {

    public RgbRaster {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("raster must not be empty, was " + width + "x" + height);
        }
        if (rgb.length != width * height * 3) {
            throw new IllegalArgumentException("a " + width + "x" + height + " RGB raster has " + width * height * 3
                    + " bytes, got " + rgb.length);
        }
    }

    /** A black raster. */
    public static RgbRaster blank(int width, int height) {
        return new RgbRaster(width, height, new byte[width * height * 3]);
    }

    /** The pixels of {@code image} (its sRGB values as {@code getRGB} reports them, alpha dropped). */
    public static RgbRaster of(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        byte[] rgb = new byte[width * height * 3];
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            image.getRGB(0, y, width, 1, row, 0, width);
            for (int x = 0; x < width; x++) {
                int at = (y * width + x) * 3;
                rgb[at] = (byte) (row[x] >> 16);
                rgb[at + 1] = (byte) (row[x] >> 8);
                rgb[at + 2] = (byte) row[x];
            }
        }
        return new RgbRaster(width, height, rgb);
    }

    /** Sample {@code c} (0 = R, 1 = G, 2 = B) of pixel (x, y), 0..255. */
    public int sample(int x, int y, int c) {
        return rgb[(y * width + x) * 3 + c] & 0xFF;
    }

    /** The raster as an opaque {@code TYPE_INT_RGB} image. */
    public BufferedImage toImage() {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] row = new int[width];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int at = (y * width + x) * 3;
                row[x] = (rgb[at] & 0xFF) << 16 | (rgb[at + 1] & 0xFF) << 8 | (rgb[at + 2] & 0xFF);
            }
            image.setRGB(0, y, width, 1, row, 0, width);
        }
        return image;
    }
}
