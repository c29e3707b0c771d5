package io.photomaker.worker.tensors;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes arrays as NumPy {@code .npy} files, format version 1.0: the magic {@code \x93NUMPY}, version 1.0, a
 * little-endian uint16 header length, an ASCII header dict ({@code descr}, {@code fortran_order: False},
 * {@code shape}) padded with spaces and ended by a newline so that the data starts at a multiple of 64 bytes,
 * then the values in C order. float32 is written as {@code <f4}, bytes as {@code |u1}, and any other element
 * type from its little-endian bytes and NumPy descriptor ({@link #write(Path, String, int, ByteBuffer, long...)}).
 * The header is the one
 * {@code numpy.save} writes (it also leaves room for the first axis to grow to 21 digits), so files compare
 * byte for byte with NumPy's.
 */
public final class NpyWriter {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGNMENT = 64;
    private static final int GROWTH_AXIS_MAX_DIGITS = 21;

    private NpyWriter() {
    }

    /** Writes float32 {@code values} of {@code shape} to {@code file}. */
    public static void write(Path file, float[] values, long... shape) throws IOException {
        checkCount(values.length, shape);
        ByteBuffer data = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().put(values);
        write(file, "<f4", shape, data.array());
    }

    /** Writes unsigned bytes {@code values} of {@code shape} to {@code file} (an image as [H, W, 3], say). */
    public static void write(Path file, byte[] values, long... shape) throws IOException {
        checkCount(values.length, shape);
        write(file, "|u1", shape, values);
    }

    /**
     * Writes {@code data}: little-endian elements of {@code itemBytes} bytes each, described by the NumPy
     * descriptor {@code descr} ({@code <f2}, {@code <i8}, {@code |b1}, ...), exactly as many as {@code shape} holds.
     */
    public static void write(Path file, String descr, int itemBytes, ByteBuffer data, long... shape) throws IOException {
        if (data.remaining() % itemBytes != 0) {
            throw new IllegalArgumentException(data.remaining() + " bytes are not whole " + descr + " elements");
        }
        checkCount(data.remaining() / itemBytes, shape);
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        write(file, descr, shape, bytes);
    }

    /** The header block (magic, version, length, padded dict) for {@code descr} and {@code shape}. */
    static byte[] header(String descr, long... shape) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + tuple(shape) + ", }";
        if (shape.length > 0) {
            dict += " ".repeat(GROWTH_AXIS_MAX_DIGITS - Long.toString(shape[0]).length());
        }
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        // as numpy: a header that is already aligned still gets a full block of padding
        int padding = ALIGNMENT - unpadded % ALIGNMENT;
        String padded = dict + " ".repeat(padding) + "\n";
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + padded.length()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) padded.length());
        b.put(padded.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    private static String tuple(long... shape) {
        if (shape.length == 0) {
            return "()";
        }
        if (shape.length == 1) {
            return "(" + shape[0] + ",)";
        }
        StringBuilder s = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            s.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        return s.append(")").toString();
    }

    private static void write(Path file, String descr, long[] shape, byte[] data) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(header(descr, shape));
            out.write(data);
        }
    }

    private static void checkCount(int count, long[] shape) {
        long expected = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("shape sizes must not be negative: " + java.util.Arrays.toString(shape));
            }
            expected *= d;
        }
        if (expected != count) {
            throw new IllegalArgumentException("shape " + java.util.Arrays.toString(shape) + " holds " + expected
                    + " values, got " + count);
        }
    }
}
