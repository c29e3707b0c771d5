package io.photomaker.common.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBufferInt;
import java.awt.image.WritableRaster;

/**
 * Converts decoded images to opaque 8-bit RGB the way PIL's {@code convert("RGB")} does: alpha is dropped (not
 * composited), grey is replicated, palettes are looked up, and stored sample values are kept as they are (no
 * colour-space or gamma conversion). 16-bit samples keep their high byte; 1-, 2- and 4-bit samples are stretched
 * to 0..255.
 */
final class RgbImages {

    private RgbImages() {
    }

    static BufferedImage toRgb(BufferedImage image) {
        if (image.getType() == BufferedImage.TYPE_INT_RGB) {
            return image;
        }
        int width = image.getWidth();
        int height = image.getHeight();
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int[] target = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        ColorModel model = image.getColorModel();
        int colourSpace = model.getColorSpace().getType();
        boolean rawSamples = model instanceof ComponentColorModel
                && (colourSpace == ColorSpace.TYPE_RGB || colourSpace == ColorSpace.TYPE_GRAY);
        if (rawSamples) {
            copySamples(image.getRaster(), model, target);
        } else {
            // palettes and packed RGB: getRGB is exact; other colour spaces (e.g. YCCK) need its conversion
            int[] row = new int[width];
            for (int y = 0; y < height; y++) {
                image.getRGB(0, y, width, 1, row, 0, width);
                for (int x = 0; x < width; x++) {
                    target[y * width + x] = row[x] & 0xFFFFFF;
                }
            }
        }
        return out;
    }

    private static void copySamples(WritableRaster raster, ColorModel model, int[] target) {
        int width = raster.getWidth();
        int height = raster.getHeight();
        int bands = raster.getNumBands();
        int bits = model.getComponentSize(0);
        boolean grey = model.getNumColorComponents() == 1;
        int[] row = new int[width * bands];
        for (int y = 0; y < height; y++) {
            raster.getPixels(0, y, width, 1, row);
            for (int x = 0; x < width; x++) {
                int at = x * bands;
                int r = toByte(row[at], bits);
                int g = grey ? r : toByte(row[at + 1], bits);
                int b = grey ? r : toByte(row[at + 2], bits);
                target[y * width + x] = (r << 16) | (g << 8) | b;
            }
        }
    }

    private static int toByte(int sample, int bits) {
        if (bits == 8) {
            return sample;
        }
        return bits > 8 ? sample >> (bits - 8) : sample * 255 / ((1 << bits) - 1);
    }
}
