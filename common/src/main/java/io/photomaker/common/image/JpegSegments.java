package io.photomaker.common.image;

import java.util.ArrayList;
import java.util.List;

/**
 * Walks the marker segments of a JPEG header (everything before the first scan) without decoding anything.
 * Every length is bounds-checked; a file that ends or loses marker sync inside the header is corrupt.
 */
final class JpegSegments {

    static final int SOS = 0xDA;
    static final int EOI = 0xD9;
    static final int APP1 = 0xE1;

    /** One marker segment: its marker byte and where its payload (after the length field) lies. */
    record Segment(int marker, int payloadOffset, int payloadLength) {
    }

    private JpegSegments() {
    }

    /** The segments from just after SOI up to and including the first start-of-scan. */
    static List<Segment> header(byte[] data) {
        List<Segment> segments = new ArrayList<>();
        int pos = 2;
        while (true) {
            if (pos >= data.length) {
                throw ImageRejected.corrupt("JPEG ends before its first scan (truncated file)");
            }
            if ((data[pos] & 0xFF) != 0xFF) {
                throw ImageRejected.corrupt("JPEG header is malformed (expected a marker at byte " + pos + ")");
            }
            while (pos < data.length && (data[pos] & 0xFF) == 0xFF) {
                pos++;
            }
            if (pos >= data.length) {
                throw ImageRejected.corrupt("JPEG ends inside a marker (truncated file)");
            }
            int marker = data[pos++] & 0xFF;
            if (isStandalone(marker)) {
                continue;
            }
            if (marker == EOI) {
                throw ImageRejected.corrupt("JPEG has no image data (end-of-image before any scan)");
            }
            if (pos + 2 > data.length) {
                throw ImageRejected.corrupt("JPEG ends inside a segment length (truncated file)");
            }
            int length = readU16(data, pos);
            if (length < 2 || pos + length > data.length) {
                throw ImageRejected.corrupt("JPEG segment 0x" + Integer.toHexString(marker)
                        + " runs past the end of the file (truncated or malformed)");
            }
            segments.add(new Segment(marker, pos + 2, length - 2));
            if (marker == SOS) {
                return segments;
            }
            pos += length;
        }
    }

    /** Whether an end-of-image marker follows {@code from}; entropy-coded data can never contain FF D9. */
    static boolean hasEndOfImage(byte[] data, int from) {
        for (int k = Math.max(from, 0); k + 1 < data.length; k++) {
            if ((data[k] & 0xFF) == 0xFF && (data[k + 1] & 0xFF) == EOI) {
                return true;
            }
        }
        return false;
    }

    /** Start-of-frame markers: C0..CF except DHT (C4), JPG (C8) and DAC (CC). */
    static boolean isStartOfFrame(int marker) {
        return marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
    }

    private static boolean isStandalone(int marker) {
        return marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7);
    }

    static int readU16(byte[] data, int pos) {
        return ((data[pos] & 0xFF) << 8) | (data[pos + 1] & 0xFF);
    }
}
