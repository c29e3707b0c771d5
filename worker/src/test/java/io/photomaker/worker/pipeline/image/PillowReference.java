package io.photomaker.worker.pipeline.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** The Pillow-produced cases of clip-reference/reference.txt and the test pattern generate.py draws. */
final class PillowReference {

    private PillowReference() {
    }

    static List<String[]> lines(String kind) {
        try (InputStream in = PillowReference.class.getResourceAsStream("/clip-reference/reference.txt")) {
            if (in == null) {
                throw new IllegalStateException("clip-reference/reference.txt missing from test resources");
            }
            return Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
                    .filter(line -> line.startsWith(kind + " "))
                    .map(line -> line.trim().split(" "))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** R = (3x^2 + 7y + xy) mod 256, G = (5x + 11y^2 + 17) mod 256, B = ((x + y)(x + 2y) + 101) mod 256. */
    static int[] patternPixels(int width, int height) {
        int[] pixels = new int[width * height];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = (3 * x * x + 7 * y + x * y) % 256;
                int g = (5 * x + 11 * y * y + 17) % 256;
                int b = ((x + y) * (x + 2 * y) + 101) % 256;
                pixels[y * width + x] = (r << 16) | (g << 8) | b;
            }
        }
        return pixels;
    }

    static BufferedImage patternImage(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, width, height, patternPixels(width, height), 0, width);
        return image;
    }

    static byte[] rgbBytes(int[] pixels) {
        byte[] bytes = new byte[pixels.length * 3];
        for (int k = 0; k < pixels.length; k++) {
            bytes[3 * k] = (byte) (pixels[k] >> 16);
            bytes[3 * k + 1] = (byte) (pixels[k] >> 8);
            bytes[3 * k + 2] = (byte) pixels[k];
        }
        return bytes;
    }

    static byte[] littleEndian(float[] values) {
        ByteBuffer buffer = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buffer.asFloatBuffer().put(values);
        return buffer.array();
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
