package io.photomaker.common.image;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;

/**
 * Reads the EXIF orientation (IFD0 tag 0x0112) of a photo and turns pixels upright, as
 * {@code PIL.ImageOps.exif_transpose} does when the reference pipeline loads an ID photo: from a JPEG's Exif APP1
 * segment, a PNG's {@code eXIf} chunk or a WebP's {@code EXIF} chunk (with or without the {@code Exif\0\0} prefix
 * some writers put there). Malformed EXIF data is ignored (orientation 1): a photo is not rejected for its metadata.
 */
public final class ExifOrientation {

    /** Pixels are stored upright. */
    public static final int NORMAL = 1;

    private static final int ORIENTATION_TAG = 0x0112;
    private static final int TYPE_SHORT = 3;

    private ExifOrientation() {
    }

    private static final byte[] PNG_EXIF = {'e', 'X', 'I', 'f'};
    private static final byte[] WEBP_EXIF = {'E', 'X', 'I', 'F'};

    /** The orientation 1..8 a photo of {@code format} carries, or 1 when it has none or it is invalid. */
    public static int read(byte[] data, ImageFormat format) {
        return switch (format) {
            case JPEG -> read(data);
            case PNG -> readPng(data);
            case WEBP -> readWebp(data);
        };
    }

    /** The orientation 1..8 stored in the first Exif APP1 segment of a JPEG, or 1 when absent or invalid. */
    public static int read(byte[] jpeg) {
        for (JpegSegments.Segment segment : JpegSegments.header(jpeg)) {
            if (segment.marker() == JpegSegments.APP1 && isExif(jpeg, segment)) {
                return readFromTiff(jpeg, segment.payloadOffset() + 6, segment.payloadOffset()
                        + segment.payloadLength());
            }
        }
        return NORMAL;
    }

    /** PNG: chunks of (length, type, data, crc) after the 8-byte signature; the first eXIf chunk holds TIFF data. */
    private static int readPng(byte[] png) {
        long at = 8;
        while (at + 12 <= png.length) {
            long length = u32(png, (int) at, false);
            long dataStart = at + 8;
            if (length > png.length - dataStart - 4) {
                return NORMAL;
            }
            if (matches(png, (int) at + 4, PNG_EXIF)) {
                return readTiff(png, (int) dataStart, (int) (dataStart + length));
            }
            at = dataStart + length + 4;
        }
        return NORMAL;
    }

    /** WebP: a RIFF container; after "RIFF", size and "WEBP", chunks of (fourcc, little-endian size, even-padded data). */
    private static int readWebp(byte[] webp) {
        long at = 12;
        while (at + 8 <= webp.length) {
            long size = u32(webp, (int) at + 4, true);
            long dataStart = at + 8;
            if (size > webp.length - dataStart) {
                return NORMAL;
            }
            if (matches(webp, (int) at, WEBP_EXIF)) {
                int start = (int) dataStart;
                boolean prefixed = size >= 6 && webp[start] == 'E' && webp[start + 1] == 'x' && webp[start + 2] == 'i'
                        && webp[start + 3] == 'f' && webp[start + 4] == 0 && webp[start + 5] == 0;
                return readTiff(webp, prefixed ? start + 6 : start, (int) (dataStart + size));
            }
            at = dataStart + size + (size & 1);
        }
        return NORMAL;
    }

    private static boolean matches(byte[] data, int at, byte[] tag) {
        for (int i = 0; i < tag.length; i++) {
            if (data[at + i] != tag[i]) {
                return false;
            }
        }
        return true;
    }

    /** The orientation in TIFF data {@code [tiff, end)}, or 1; never reads outside that range. */
    private static int readTiff(byte[] data, int tiff, int end) {
        if (end - tiff < 8) {
            return NORMAL;
        }
        return readFromTiff(data, tiff, end);
    }

    private static boolean isExif(byte[] data, JpegSegments.Segment segment) {
        int at = segment.payloadOffset();
        return segment.payloadLength() >= 14 && data[at] == 'E' && data[at + 1] == 'x' && data[at + 2] == 'i'
                && data[at + 3] == 'f' && data[at + 4] == 0 && data[at + 5] == 0;
    }

    private static int readFromTiff(byte[] data, int tiff, int end) {
        boolean littleEndian;
        if (data[tiff] == 'I' && data[tiff + 1] == 'I') {
            littleEndian = true;
        } else if (data[tiff] == 'M' && data[tiff + 1] == 'M') {
            littleEndian = false;
        } else {
            return NORMAL;
        }
        if (u16(data, tiff + 2, littleEndian) != 42) {
            return NORMAL;
        }
        long ifd = tiff + u32(data, tiff + 4, littleEndian);
        if (ifd + 2 > end) {
            return NORMAL;
        }
        int entries = u16(data, (int) ifd, littleEndian);
        for (int k = 0; k < entries; k++) {
            int entry = (int) ifd + 2 + 12 * k;
            if (entry + 12 > end) {
                return NORMAL;
            }
            if (u16(data, entry, littleEndian) == ORIENTATION_TAG && u16(data, entry + 2, littleEndian) == TYPE_SHORT) {
                int value = u16(data, entry + 8, littleEndian);
                return value >= 1 && value <= 8 ? value : NORMAL;
            }
        }
        return NORMAL;
    }

    /**
     * {@code image} (TYPE_INT_RGB) turned upright for an EXIF orientation: 2 mirror, 3 rotate 180, 4 flip,
     * 5 transpose, 6 rotate 90 clockwise, 7 transverse, 8 rotate 90 counter-clockwise. Orientation 1 returns
     * {@code image} itself.
     */
    public static BufferedImage apply(BufferedImage image, int orientation) {
        if (orientation < 1 || orientation > 8) {
            throw new IllegalArgumentException("EXIF orientation must be 1..8, got " + orientation);
        }
        if (orientation == NORMAL) {
            return image;
        }
        int width = image.getWidth();
        int height = image.getHeight();
        int[] source = image.getRGB(0, 0, width, height, null, 0, width);
        boolean swapsAxes = orientation >= 5;
        int outWidth = swapsAxes ? height : width;
        int outHeight = swapsAxes ? width : height;
        BufferedImage out = new BufferedImage(outWidth, outHeight, BufferedImage.TYPE_INT_RGB);
        int[] target = ((DataBufferInt) out.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < outHeight; y++) {
            for (int x = 0; x < outWidth; x++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> { sx = width - 1 - x; sy = y; }
                    case 3 -> { sx = width - 1 - x; sy = height - 1 - y; }
                    case 4 -> { sx = x; sy = height - 1 - y; }
                    case 5 -> { sx = y; sy = x; }
                    case 6 -> { sx = y; sy = height - 1 - x; }
                    case 7 -> { sx = width - 1 - y; sy = height - 1 - x; }
                    default -> { sx = width - 1 - y; sy = x; }
                }
                target[y * outWidth + x] = source[sy * width + sx] & 0xFFFFFF;
            }
        }
        return out;
    }

    private static int u16(byte[] data, int pos, boolean littleEndian) {
        int a = data[pos] & 0xFF;
        int b = data[pos + 1] & 0xFF;
        return littleEndian ? (b << 8) | a : (a << 8) | b;
    }

    private static long u32(byte[] data, int pos, boolean littleEndian) {
        long a = u16(data, pos, littleEndian);
        long b = u16(data, pos + 2, littleEndian);
        return littleEndian ? (b << 16) | a : (a << 16) | b;
    }
}
