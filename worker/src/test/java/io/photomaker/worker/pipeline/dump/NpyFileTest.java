package io.photomaker.worker.pipeline.dump;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyFileTest {

    @Test
    void the_header_is_version_1_0_little_endian_and_aligned_to_64_bytes() {
        byte[] header = NpyFile.header(NpyFile.Dtype.FLOAT16, new long[] {2, 4, 8, 8});
        assertEquals(0, header.length % 64);
        assertEquals(0x93, header[0] & 0xFF);
        assertEquals("NUMPY", new String(header, 1, 5, StandardCharsets.US_ASCII));
        assertEquals(1, header[6]);
        assertEquals(0, header[7]);
        assertEquals(header.length - 10, (header[8] & 0xFF) | (header[9] & 0xFF) << 8);
        String text = new String(header, 10, header.length - 10, StandardCharsets.US_ASCII);
        assertEquals("{'descr': '<f2', 'fortran_order': False, 'shape': (2, 4, 8, 8), }", text.strip());
        assertEquals('\n', text.charAt(text.length() - 1));
    }

    @Test
    void scalars_and_vectors_use_python_tuple_syntax(@TempDir Path dir) throws Exception {
        NpyFile.writeFloats(dir.resolve("s.npy"), new long[0], new float[] {981f});
        NpyFile.writeFloats(dir.resolve("v.npy"), new long[] {3}, new float[] {1f, 2f, 3f});
        StrictNpyReader.Array scalar = StrictNpyReader.read(dir.resolve("s.npy"));
        StrictNpyReader.Array vector = StrictNpyReader.read(dir.resolve("v.npy"));
        assertArrayEquals(new long[0], scalar.shape());
        assertArrayEquals(new float[] {981f}, scalar.floats());
        assertArrayEquals(new long[] {3}, vector.shape());
        assertArrayEquals(new float[] {1f, 2f, 3f}, vector.floats());
    }

    @Test
    void data_that_does_not_fill_the_shape_is_refused(@TempDir Path dir) {
        assertThrows(IllegalArgumentException.class,
                () -> NpyFile.write(dir.resolve("x.npy"), NpyFile.Dtype.FLOAT32, new long[] {2, 2}, ByteBuffer.allocate(12)));
    }
}
