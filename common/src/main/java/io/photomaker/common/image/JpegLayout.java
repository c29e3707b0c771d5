package io.photomaker.common.image;

/**
 * What a JPEG makes its decoder allocate and repeat, read from the markers of the whole file without decoding:
 * the frame's components and sampling factors (how large each component plane is) and the number of scans. A
 * progressive JPEG keeps every DCT coefficient of the image in memory (two bytes each, off the Java heap in the
 * JDK's decoder) and passes over all of them once per scan, so a few kilobytes with thousands of tiny scans cost
 * minutes of CPU; both are bounded here.
 *
 * @param progressive whether the frame is progressive (SOF2)
 * @param components colour components (1 or 3)
 * @param blockCount 8x8 blocks over all component planes, each padded to whole MCUs
 * @param scans start-of-scan markers in the file
 */
record JpegLayout(boolean progressive, int components, long blockCount, int scans) {
    /** A progressive file from an ordinary encoder has about ten scans; a hundred allows any real one. */
    static final int MAX_SCANS = 100;
    /** Marker segments of every kind; real files have tens. */
    static final int MAX_SEGMENTS = 2000;
    private static final int SOF2 = 0xC2;

    /** Walks {@code data}, whose header {@link ImageHeader#probe} already accepted. */
    static JpegLayout read(byte[] data) {
        Frame frame = null;
        int scans = 0;
        int segments = 0;
        int pos = 2;
        while (true) {
            int marker = nextMarker(data, pos);
            if (marker < 0) {
                throw ImageRejected.corrupt("JPEG has no end-of-image marker (truncated file)");
            }
            int markerAt = marker >>> 8;
            int code = marker & 0xFF;
            pos = markerAt + 2;
            if (code == JpegSegments.EOI) {
                break;
            }
            if (++segments > MAX_SEGMENTS) {
                throw ImageRejected.corrupt("JPEG has more than " + MAX_SEGMENTS + " marker segments");
            }
            if (pos + 2 > data.length) {
                throw ImageRejected.corrupt("JPEG ends inside a segment length (truncated file)");
            }
            int length = JpegSegments.readU16(data, pos);
            if (length < 2 || pos + length > data.length) {
                throw ImageRejected.corrupt("JPEG segment 0x" + Integer.toHexString(code) + " runs past the end of"
                        + " the file (truncated or malformed)");
            }
            if (JpegSegments.isStartOfFrame(code)) {
                if (frame != null) {
                    throw ImageRejected.corrupt("JPEG has more than one frame header");
                }
                frame = Frame.read(data, pos + 2, length - 2, code == SOF2);
            } else if (code == JpegSegments.SOS && ++scans > MAX_SCANS) {
                throw ImageRejected.corrupt("JPEG has more than " + MAX_SCANS + " scans; no encoder writes that many");
            }
            pos += length;
        }
        if (frame == null || scans == 0) {
            throw ImageRejected.corrupt("JPEG has no frame or no scan");
        }
        return new JpegLayout(frame.progressive, frame.components, frame.blocks, scans);
    }

    /**
     * The next marker at or after {@code from} that starts a segment or ends the image, skipping entropy-coded
     * data (where FF is followed by 00 or a restart marker); as {@code (position << 8) | code}, or -1 at the end.
     */
    private static int nextMarker(byte[] data, int from) {
        for (int k = from; k + 1 < data.length; k++) {
            if ((data[k] & 0xFF) != 0xFF) {
                continue;
            }
            int code = data[k + 1] & 0xFF;
            boolean stuffedOrRestart = code == 0x00 || code == 0xFF || (code >= 0xD0 && code <= 0xD8) || code == 0x01;
            if (!stuffedOrRestart) {
                return k << 8 | code;
            }
        }
        return -1;
    }

    /** The frame header's facts. */
    private record Frame(boolean progressive, int components, long blocks) {
        static Frame read(byte[] data, int at, int length, boolean progressive) {
            if (length < 6) {
                throw ImageRejected.corrupt("JPEG frame header is too short");
            }
            int height = JpegSegments.readU16(data, at + 1);
            int width = JpegSegments.readU16(data, at + 3);
            int count = data[at + 5] & 0xFF;
            if (length < 6 + 3 * count) {
                throw ImageRejected.corrupt("JPEG frame header is shorter than its components");
            }
            int[] h = new int[count];
            int[] v = new int[count];
            int maxH = 1;
            int maxV = 1;
            int perMcu = 0;
            for (int i = 0; i < count; i++) {
                int factors = data[at + 7 + 3 * i] & 0xFF;
                h[i] = factors >> 4;
                v[i] = factors & 0x0F;
                if (h[i] < 1 || h[i] > 4 || v[i] < 1 || v[i] > 4) {
                    throw ImageRejected.corrupt("JPEG component " + (i + 1) + " has sampling factors " + h[i] + "x"
                            + v[i] + "; they must be 1..4");
                }
                maxH = Math.max(maxH, h[i]);
                maxV = Math.max(maxV, v[i]);
                perMcu += h[i] * v[i];
            }
            if (count > 1 && perMcu > 10) {
                throw ImageRejected.corrupt("JPEG sampling factors need " + perMcu + " blocks per MCU; at most 10 are"
                        + " allowed");
            }
            long mcuColumns = ceilDiv(width, 8L * maxH);
            long mcuRows = ceilDiv(height, 8L * maxV);
            long blocks = 0;
            for (int i = 0; i < count; i++) {
                blocks += mcuColumns * h[i] * mcuRows * v[i];
            }
            return new Frame(progressive, count, blocks);
        }

        private static long ceilDiv(long a, long b) {
            return (a + b - 1) / b;
        }
    }
}
