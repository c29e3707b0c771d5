package io.photomaker.common.image;

/**
 * Reads a WebP lossless bitstream: bits are taken from each byte least significant first (RFC 9649, 3.1).
 * Reading past the end of the stream means the file is cut short.
 */
final class LsbBits {
    private final byte[] data;
    private final int end;
    private int pos;
    private long buffer;
    private int buffered;

    LsbBits(byte[] data, int from, int length) {
        this.data = data;
        this.pos = from;
        this.end = from + length;
    }

    /** The next {@code n} bits (0..24) as an unsigned number, the first bit read being the lowest. */
    int read(int n) {
        while (buffered < n) {
            if (pos >= end) {
                throw ImageRejected.corrupt("WebP lossless data ends early (truncated file)");
            }
            buffer |= (data[pos++] & 0xFFL) << buffered;
            buffered += 8;
        }
        int value = (int) (buffer & ((1L << n) - 1));
        buffer >>>= n;
        buffered -= n;
        return value;
    }

    boolean bit() {
        return read(1) == 1;
    }

    /** Bytes not yet touched (the bits buffered from a started byte count as consumed). */
    int bytesLeft() {
        return end - pos;
    }
}
