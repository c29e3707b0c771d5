package io.photomaker.worker.tensors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyWriterTest {

    @TempDir
    Path dir;

    /** The header dict numpy 1.24's {@code numpy.save} wrote for these arrays (recorded once), spaces trimmed. */
    private static String dictOf(byte[] header) {
        int declared = (header[8] & 0xFF) | (header[9] & 0xFF) << 8;
        assertEquals(header.length - 10, declared);
        return new String(header, 10, declared, StandardCharsets.US_ASCII);
    }

    @Test
    void headers_are_byte_for_byte_those_numpy_writes() {
        assertNumpy(NpyWriter.header("<f4", 1, 3, 640, 640), "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 3, 640, 640), }", 128);
        assertNumpy(NpyWriter.header("|u1", 5), "{'descr': '|u1', 'fortran_order': False, 'shape': (5,), }", 128);
        assertNumpy(NpyWriter.header("<f4", 12800, 10), "{'descr': '<f4', 'fortran_order': False, 'shape': (12800, 10), }", 128);
        assertNumpy(NpyWriter.header("|u1", 112, 112, 3), "{'descr': '|u1', 'fortran_order': False, 'shape': (112, 112, 3), }", 128);
    }

    private static void assertNumpy(byte[] header, String dict, int length) {
        assertEquals(length, header.length);
        assertArrayEquals(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}, Arrays.copyOf(header, 8));
        String written = dictOf(header);
        assertEquals(dict + " ".repeat(length - 11 - dict.length()) + "\n", written);
    }

    @Test
    void float32_values_follow_the_header_little_endian_in_c_order() throws Exception {
        Path file = dir.resolve("sub/x.npy");
        NpyWriter.write(file, new float[] {1.5f, -2f, 0.25f, 8f, 0f, 3f}, 2, 3);
        byte[] bytes = Files.readAllBytes(file);
        int start = bytes.length - 6 * 4;
        assertEquals(0, start % 64);
        ByteBuffer data = ByteBuffer.wrap(bytes, start, 6 * 4).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1.5f, data.getFloat());
        assertEquals(-2f, data.getFloat());
        assertEquals(0.25f, data.getFloat());
    }

    @Test
    void a_shape_that_does_not_hold_the_values_is_refused() {
        assertThrows(IllegalArgumentException.class, () -> NpyWriter.write(dir.resolve("y.npy"), new float[5], 2, 3));
    }
}
