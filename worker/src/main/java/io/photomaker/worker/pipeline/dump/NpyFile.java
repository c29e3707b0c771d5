package io.photomaker.worker.pipeline.dump;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.StringJoiner;

/**
 * Writes NumPy {@code .npy} files, format version 1.0: the magic {@code \x93NUMPY}, version 1.0, a little-endian
 * 16-bit header length, the header dict ({@code descr}, {@code fortran_order: False}, {@code shape}) padded with
 * spaces and a newline so the data starts on a 64-byte boundary, then the data in C order.
 */
public final class NpyFile {

    /** Element types by their NumPy descriptor (little-endian where it matters). */
    public enum Dtype {
        FLOAT32("<f4", 4), FLOAT16("<f2", 2), FLOAT64("<f8", 8), INT64("<i8", 8), INT32("<i4", 4), INT8("|i1", 1),
        UINT8("|u1", 1), BOOL("|b1", 1);

        private final String descr;
        private final int bytes;

        Dtype(String descr, int bytes) {
            this.descr = descr;
            this.bytes = bytes;
        }

        public String descr() {
            return descr;
        }

        public int bytes() {
            return bytes;
        }
    }

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
    private static final int ALIGNMENT = 64;

    private NpyFile() {
    }

    /** The header bytes (magic to newline) for {@code dtype} and {@code shape}. */
    static byte[] header(Dtype dtype, long[] shape) {
        StringJoiner dims = new StringJoiner(", ", "(", shape.length == 1 ? ",)" : ")");
        for (long d : shape) {
            dims.add(Long.toString(d));
        }
        String dict = "{'descr': '" + dtype.descr() + "', 'fortran_order': False, 'shape': " + dims + ", }";
        int unpadded = MAGIC.length + 2 + dict.length() + 1;
        int padding = (ALIGNMENT - unpadded % ALIGNMENT) % ALIGNMENT;
        String text = dict + " ".repeat(padding) + "\n";
        ByteBuffer out = ByteBuffer.allocate(MAGIC.length + 2 + text.length()).order(ByteOrder.LITTLE_ENDIAN);
        out.put(MAGIC).putShort((short) text.length()).put(text.getBytes(StandardCharsets.US_ASCII));
        return out.array();
    }

    /**
     * Writes {@code data} (little-endian elements of {@code dtype}, C order, exactly as many as {@code shape}
     * holds) to {@code file}.
     */
    public static void write(Path file, Dtype dtype, long[] shape, ByteBuffer data) throws IOException {
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        if (data.remaining() != count * dtype.bytes()) {
            throw new IllegalArgumentException(file.getFileName() + ": shape needs " + count * dtype.bytes()
                    + " bytes of " + dtype.descr() + ", got " + data.remaining());
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(header(dtype, shape));
            if (data.hasArray()) {
                out.write(data.array(), data.arrayOffset() + data.position(), data.remaining());
            } else {
                byte[] chunk = new byte[1 << 16];
                ByteBuffer view = data.duplicate();
                while (view.hasRemaining()) {
                    int n = Math.min(chunk.length, view.remaining());
                    view.get(chunk, 0, n);
                    out.write(chunk, 0, n);
                }
            }
        }
    }

    /** Writes float32 values. */
    public static void writeFloats(Path file, long[] shape, float[] values) throws IOException {
        ByteBuffer data = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().put(values);
        write(file, Dtype.FLOAT32, shape, data);
    }

    /** Writes unsigned bytes. */
    public static void writeBytes(Path file, long[] shape, byte[] values) throws IOException {
        write(file, Dtype.UINT8, shape, ByteBuffer.wrap(values));
    }
}
