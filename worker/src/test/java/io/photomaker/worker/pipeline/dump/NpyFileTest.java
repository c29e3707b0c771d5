package io.photomaker.worker.pipeline.dump;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.photomaker.worker.tensors.NpyWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The .npy files a tensor dump writes, read back by a strict reader written from the format's specification. */
class NpyFileTest {

    @Test
    void scalars_and_vectors_use_python_tuple_syntax(@TempDir Path dir) throws Exception {
        NpyWriter.write(dir.resolve("s.npy"), new float[] {981f});
        NpyWriter.write(dir.resolve("v.npy"), new float[] {1f, 2f, 3f}, 3);
        StrictNpyReader.Array scalar = StrictNpyReader.read(dir.resolve("s.npy"));
        StrictNpyReader.Array vector = StrictNpyReader.read(dir.resolve("v.npy"));
        assertArrayEquals(new long[0], scalar.shape());
        assertArrayEquals(new float[] {981f}, scalar.floats());
        assertArrayEquals(new long[] {3}, vector.shape());
        assertArrayEquals(new float[] {1f, 2f, 3f}, vector.floats());
    }

    @Test
    void other_element_types_keep_their_descriptor_and_bytes(@TempDir Path dir) throws Exception {
        ByteBuffer ids = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(49406).putLong(49407).flip();
        NpyWriter.write(dir.resolve("ids.npy"), "<i8", 8, ids, 1, 2);
        StrictNpyReader.Array read = StrictNpyReader.read(dir.resolve("ids.npy"));
        assertEquals("<i8", read.descr());
        assertArrayEquals(new long[] {1, 2}, read.shape());
        assertEquals(49407, read.data().order(ByteOrder.LITTLE_ENDIAN).getLong(8));
    }

    @Test
    void data_that_does_not_fill_the_shape_is_refused(@TempDir Path dir) {
        assertThrows(IllegalArgumentException.class,
                () -> NpyWriter.write(dir.resolve("x.npy"), "<f4", 4, ByteBuffer.allocate(12), 2, 2));
    }
}
