package io.photomaker.devtools.bench.submit;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import javax.imageio.ImageIO;

/** Random-noise photos for benchmarks: noise does not compress, so file sizes are predictable. */
public final class NoiseImages {
    private NoiseImages() {
    }

    /** A PNG of about {@code bytes} bytes (RGB noise, roughly three bytes per pixel). */
    public static byte[] png(int bytes, long seed) {
        int side = (int) Math.sqrt(bytes / 3.0);
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                img.setRGB(x, y, r.nextInt(1 << 24));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
