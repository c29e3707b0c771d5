package io.photomaker.gateway.submit;

import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Checks a non-interlaced PNG from end to end without building an image: every chunk's CRC, the chunk
 * order, and the whole zlib stream of the pixel data (with its Adler-32), which must inflate to exactly
 * {@code height} rows of the size the header implies, each starting with a valid filter type. Anything a
 * full decoder would reject as truncated or corrupt fails here too, at a fraction of the cost.
 */
final class PngVerifier {
    private static final int SIGNATURE = 8;

    private PngVerifier() {
    }

    /** Whether this verifier handles {@code png} (it leaves interlaced images to a full decoder). */
    static boolean handles(byte[] png) {
        return png.length > 33 && (png[28] & 0xFF) == 0;
    }

    /** Returns normally when {@code png} is intact; otherwise throws with the reason. */
    static void verify(byte[] png, int width, int height) {
        long rowBytes = rowBytes(png[24] & 0xFF, png[25] & 0xFF, width);
        long expected = (rowBytes + 1) * height;
        Inflater inflater = new Inflater();
        try {
            byte[] row = new byte[(int) Math.min(expected, 1 << 16)];
            long produced = 0;
            long nextFilterAt = 0;
            boolean seenData = false;
            boolean ended = false;
            int at = SIGNATURE;
            CRC32 crc = new CRC32();
            while (!ended) {
                if (at + 12 > png.length) {
                    throw new IllegalArgumentException("it ends before its IEND chunk");
                }
                long length = be32(png, at);
                if (length > png.length - at - 12L) {
                    throw new IllegalArgumentException("a chunk runs past the end of the file");
                }
                int type = at + 4;
                int data = at + 8;
                crc.reset();
                crc.update(png, type, (int) length + 4);
                if (crc.getValue() != be32(png, data + (int) length)) {
                    throw new IllegalArgumentException("a chunk's CRC does not match");
                }
                String name = new String(png, type, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
                if (name.equals("IDAT")) {
                    seenData = true;
                    inflater.setInput(png, data, (int) length);
                    while (!inflater.needsInput() && !inflater.finished()) {
                        int n = inflater.inflate(row);
                        if (n == 0 && inflater.needsDictionary()) {
                            throw new IllegalArgumentException("its pixel data needs a preset dictionary");
                        }
                        for (long p = Math.max(nextFilterAt, produced); p < produced + n; p = nextFilterAt) {
                            if ((row[(int) (p - produced)] & 0xFF) > 4) {
                                throw new IllegalArgumentException("a row has an unknown filter type");
                            }
                            nextFilterAt = p + rowBytes + 1;
                        }
                        produced += n;
                        if (produced > expected) {
                            throw new IllegalArgumentException("its pixel data is larger than its header says");
                        }
                    }
                } else if (name.equals("IEND")) {
                    ended = true;
                }
                at = data + (int) length + 4;
            }
            if (!seenData || !inflater.finished() || produced != expected) {
                throw new IllegalArgumentException("its pixel data is incomplete (" + produced + " of " + expected
                        + " bytes)");
            }
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("its compressed pixel data is damaged");
        } finally {
            inflater.end();
        }
    }

    private static long rowBytes(int bitDepth, int colorType, int width) {
        int channels = switch (colorType) {
            case 0, 3 -> 1;
            case 2 -> 3;
            case 4 -> 2;
            case 6 -> 4;
            default -> throw new IllegalArgumentException("it has an unknown colour type " + colorType);
        };
        if (bitDepth != 1 && bitDepth != 2 && bitDepth != 4 && bitDepth != 8 && bitDepth != 16) {
            throw new IllegalArgumentException("it has an invalid bit depth " + bitDepth);
        }
        return ((long) width * channels * bitDepth + 7) / 8;
    }

    private static long be32(byte[] b, int i) {
        return ((long) (b[i] & 0xFF) << 24) | ((b[i + 1] & 0xFF) << 16) | ((b[i + 2] & 0xFF) << 8) | (b[i + 3] & 0xFF);
    }
}
