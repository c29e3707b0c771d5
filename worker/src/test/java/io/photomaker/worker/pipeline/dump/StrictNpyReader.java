package io.photomaker.worker.pipeline.dump;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A strict reader of .npy format 1.0, written from the format's specification (not from the writer): used
 * where numpy itself is not installed, and to read values back. Rejects anything but version 1.0, C order and a
 * data section of exactly the size the header announces.
 */
final class StrictNpyReader {

    record Array(String descr, long[] shape, ByteBuffer data) {
        long count() {
            return Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        }

        float[] floats() {
            if (!descr.equals("<f4")) {
                throw new IllegalStateException("not float32: " + descr);
            }
            float[] out = new float[(int) count()];
            data.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            return out;
        }
    }

    private static final Pattern HEADER = Pattern.compile(
            "\\{'descr': '([<|>][a-z][0-9]+)', 'fortran_order': (True|False), 'shape': \\(([0-9, ]*)\\), \\} *\\n");

    private StrictNpyReader() {
    }

    static Array read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (bytes.length < 10 || (bytes[0] & 0xFF) != 0x93 || !new String(bytes, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
            throw new IOException(file + ": no .npy magic");
        }
        if (bytes[6] != 1 || bytes[7] != 0) {
            throw new IOException(file + ": format version " + bytes[6] + "." + bytes[7] + ", expected 1.0");
        }
        int headerLength = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
        if ((10 + headerLength) % 16 != 0) {
            throw new IOException(file + ": data does not start on a 16-byte boundary");
        }
        String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
        Matcher m = HEADER.matcher(header);
        if (!m.matches()) {
            throw new IOException(file + ": header not understood: " + header);
        }
        if (!m.group(2).equals("False")) {
            throw new IOException(file + ": Fortran order");
        }
        String dims = m.group(3).trim();
        long[] shape = dims.isEmpty() ? new long[0]
                : Arrays.stream(dims.split(",")).map(String::trim).filter(s -> !s.isEmpty()).mapToLong(Long::parseLong).toArray();
        if (dims.matches("[0-9]+") ) {
            throw new IOException(file + ": a one-dimensional shape needs a trailing comma: (" + dims + ")");
        }
        int itemSize = Integer.parseInt(m.group(1).substring(2));
        long expected = Arrays.stream(shape).reduce(1, (a, b) -> a * b) * itemSize;
        if (bytes.length - 10 - headerLength != expected) {
            throw new IOException(file + ": " + (bytes.length - 10 - headerLength) + " data bytes, header says " + expected);
        }
        return new Array(m.group(1), shape, ByteBuffer.wrap(bytes, 10 + headerLength, (int) expected).slice());
    }
}
