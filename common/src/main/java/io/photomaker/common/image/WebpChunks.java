package io.photomaker.common.image;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The chunks of a WebP file's RIFF container, walked without decoding anything, and the frame size each kind of
 * image chunk declares. A decoder sizes its buffers from the frame header inside the image chunk, not from the
 * VP8X canvas, so a file whose frame disagrees with its canvas is refused here before any decoder sees it.
 */
final class WebpChunks {
    /** A still image has a handful of chunks (VP8X, ICCP, ALPH, VP8/VP8L, EXIF, XMP); more is not a photo. */
    static final int MAX_CHUNKS = 64;
    private static final int FIRST_CHUNK = 12;

    /** One chunk: its FourCC and where its payload lies in the file. */
    record Chunk(String fourcc, int payloadOffset, int payloadLength) {
        boolean is(String name) {
            return fourcc.equals(name);
        }
    }

    /** Width and height a frame header declares. */
    record Frame(int width, int height) {
    }

    private WebpChunks() {
    }

    /** Every chunk after the RIFF header, each checked to lie inside the file and the RIFF size. */
    static List<Chunk> list(byte[] data) {
        long riffEnd = Math.min(data.length, readU32Le(data, 4) + 8);
        List<Chunk> chunks = new ArrayList<>();
        long at = FIRST_CHUNK;
        while (at + 8 <= riffEnd) {
            if (chunks.size() == MAX_CHUNKS) {
                throw ImageRejected.corrupt("WebP has more than " + MAX_CHUNKS + " chunks");
            }
            String fourcc = new String(data, (int) at, 4, StandardCharsets.US_ASCII);
            long length = readU32Le(data, (int) at + 4);
            if (at + 8 + length > riffEnd) {
                throw ImageRejected.corrupt("WebP chunk '" + printable(fourcc) + "' runs past the end of the file"
                        + " (truncated or malformed)");
            }
            chunks.add(new Chunk(fourcc, (int) at + 8, (int) length));
            at += 8 + length + (length & 1);
        }
        if (chunks.isEmpty()) {
            throw ImageRejected.corrupt("WebP holds no chunks");
        }
        return chunks;
    }

    /** The first VP8 or VP8L chunk: the still image a VP8X file wraps. */
    static Chunk image(List<Chunk> chunks) {
        for (Chunk c : chunks) {
            if (c.is("VP8 ") || c.is("VP8L")) {
                return c;
            }
        }
        throw ImageRejected.corrupt("WebP has no VP8 or VP8L image chunk");
    }

    /** The ALPH chunk, or null when the image has none. */
    static Chunk alpha(List<Chunk> chunks) {
        for (Chunk c : chunks) {
            if (c.is("ALPH")) {
                return c;
            }
        }
        return null;
    }

    /** The frame size a VP8 or VP8L chunk's own header declares. */
    static Frame frame(byte[] data, Chunk c) {
        return c.is("VP8L") ? vp8lFrame(data, c) : vp8Frame(data, c);
    }

    private static Frame vp8Frame(byte[] data, Chunk c) {
        int at = c.payloadOffset();
        if (c.payloadLength() < 10) {
            throw ImageRejected.corrupt("WebP VP8 frame header is too short");
        }
        boolean keyFrame = (data[at] & 0x01) == 0;
        if (!keyFrame || (data[at + 3] & 0xFF) != 0x9D || (data[at + 4] & 0xFF) != 0x01
                || (data[at + 5] & 0xFF) != 0x2A) {
            throw ImageRejected.corrupt("WebP VP8 frame header is malformed");
        }
        return new Frame(readU16Le(data, at + 6) & 0x3FFF, readU16Le(data, at + 8) & 0x3FFF);
    }

    private static Frame vp8lFrame(byte[] data, Chunk c) {
        int at = c.payloadOffset();
        if (c.payloadLength() < 5) {
            throw ImageRejected.corrupt("WebP VP8L header is too short");
        }
        long bits = readU32Le(data, at + 1);
        if ((data[at] & 0xFF) != 0x2F || (bits >>> 29) != 0) {
            throw ImageRejected.corrupt("WebP VP8L header is malformed");
        }
        return new Frame((int) (bits & 0x3FFF) + 1, (int) ((bits >>> 14) & 0x3FFF) + 1);
    }

    private static String printable(String fourcc) {
        return fourcc.replaceAll("[^\\x20-\\x7e]", "?");
    }

    static long readU32Le(byte[] data, int pos) {
        return ((long) (data[pos + 3] & 0xFF) << 24) | ((data[pos + 2] & 0xFF) << 16) | ((data[pos + 1] & 0xFF) << 8)
                | (data[pos] & 0xFF);
    }

    private static int readU16Le(byte[] data, int pos) {
        return ((data[pos + 1] & 0xFF) << 8) | (data[pos] & 0xFF);
    }
}
