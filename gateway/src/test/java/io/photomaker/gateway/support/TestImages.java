package io.photomaker.gateway.support;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;

/** Real image files for tests: random-noise PNG and JPEG (they do not compress), WebP fixtures, crafted headers. */
public final class TestImages {
    private TestImages() {
    }

    public static byte[] png(int width, int height, long seed) {
        return encode(noise(width, height, seed), "png");
    }

    public static byte[] jpeg(int width, int height, long seed) {
        return encode(noise(width, height, seed), "jpeg");
    }

    /** A lossy WebP (48x40) made by a reference encoder, kept as a test resource. */
    public static byte[] webpLossy() {
        return resource("images/noise-lossy.webp");
    }

    /** A lossless WebP (48x40). */
    public static byte[] webpLossless() {
        return resource("images/noise-lossless.webp");
    }

    public static BufferedImage noise(int width, int height, long seed) {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                img.setRGB(x, y, r.nextInt(1 << 24));
            }
        }
        return img;
    }

    public static byte[] encode(BufferedImage img, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(img, format, out)) {
                throw new IllegalStateException("no writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * A valid PNG signature and IHDR claiming {@code width}x{@code height}, followed by nothing else: tiny on
     * the wire, enormous if a decoder believed it.
     */
    public static byte[] pngHeaderOnly(int width, int height) {
        byte[] ihdr = new byte[17];
        System.arraycopy("IHDR".getBytes(), 0, ihdr, 0, 4);
        putInt(ihdr, 4, width);
        putInt(ihdr, 8, height);
        ihdr[12] = 8;
        ihdr[13] = 2;
        CRC32 crc = new CRC32();
        crc.update(ihdr);
        byte[] out = new byte[8 + 4 + 17 + 4];
        byte[] sig = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
        System.arraycopy(sig, 0, out, 0, 8);
        putInt(out, 8, 13);
        System.arraycopy(ihdr, 0, out, 12, 17);
        putInt(out, 29, (int) crc.getValue());
        return out;
    }

    /** The first {@code n} bytes of {@code b}. */
    public static byte[] truncated(byte[] b, int n) {
        byte[] out = new byte[Math.min(n, b.length)];
        System.arraycopy(b, 0, out, 0, out.length);
        return out;
    }

    public static String dataUri(String mediaType, byte[] bytes) {
        return "data:" + mediaType + ";base64," + Base64.getEncoder().encodeToString(bytes);
    }

    private static void putInt(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }

    private static byte[] resource(String name) {
        try (InputStream in = TestImages.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is missing");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
