package io.photomaker.worker.pipeline;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import javax.imageio.ImageIO;

/** Synthetic ID photos and PNG helpers for pipeline tests. */
final class PipelineFixtures {

    private PipelineFixtures() {
    }

    /** A smooth random colour field, different for each seed. */
    static BufferedImage photo(long seed, int width, int height) {
        var random = new Random(seed);
        double[] coefficients = new double[9];
        for (int i = 0; i < coefficients.length; i++) {
            coefficients[i] = random.nextDouble() * 6 - 3;
        }
        var image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double u = (double) x / width;
                double v = (double) y / height;
                int r = channel(coefficients[0] * u + coefficients[1] * v + coefficients[2] * u * v);
                int g = channel(coefficients[3] * u + coefficients[4] * v + coefficients[5] * u * v);
                int b = channel(coefficients[6] * u + coefficients[7] * v + coefficients[8] * u * v);
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return image;
    }

    private static int channel(double value) {
        return (int) Math.round(255 * (0.5 + 0.5 * Math.sin(value)));
    }

    static BufferedImage decodePng(byte[] png) {
        try {
            return ImageIO.read(new ByteArrayInputStream(png));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Largest per-channel difference between two images of the same size, in 8-bit levels. */
    static int maxChannelDifference(BufferedImage a, BufferedImage b) {
        int max = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    max = Math.max(max, Math.abs(((p >> shift) & 255) - ((q >> shift) & 255)));
                }
            }
        }
        return max;
    }

    /** Number of distinct colours: a constant or saturated image has very few. */
    static long distinctColours(BufferedImage image) {
        return java.util.stream.IntStream.range(0, image.getWidth() * image.getHeight())
                .map(i -> image.getRGB(i % image.getWidth(), i / image.getWidth()))
                .distinct().count();
    }
}
