package io.photomaker.worker.pipeline.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClipImagePreprocessorTest {

    @Test
    void tensors_match_pillow_and_transformers_bit_for_bit() {
        for (String[] line : PillowReference.lines("clip")) {
            int width = Integer.parseInt(line[1]);
            int height = Integer.parseInt(line[2]);
            int size = Integer.parseInt(line[3]);
            float[] out = new float[3 * size * size];
            ClipImagePreprocessor.toTensor(PillowReference.patternImage(width, height), size, out, 0);
            String what = width + "x" + height + " at " + size;
            for (int k = 5; k < line.length; k++) {
                String[] pair = line[k].split(":");
                assertEquals(Float.parseFloat(pair[1]), out[Integer.parseInt(pair[0])], what + " index " + pair[0]);
            }
            assertEquals(line[4], PillowReference.sha256(PillowReference.littleEndian(out)), what);
        }
    }

    @Test
    void a_constant_image_becomes_the_normalised_constant_in_every_channel() {
        BufferedImage grey = new BufferedImage(300, 180, BufferedImage.TYPE_INT_RGB);
        int[] fill = new int[300 * 180];
        java.util.Arrays.fill(fill, 0x80C040);
        grey.setRGB(0, 0, 300, 180, fill, 0, 300);
        float[] out = new float[3 * 224 * 224];
        ClipImagePreprocessor.toTensor(grey, 224, out, 0);
        // (128/255 - 0.48145466) / 0.26862954 = 0.0763, (192/255 - 0.4578275) / 0.26130258 = 1.1293,
        // (64/255 - 0.40821073) / 0.27577711 = -0.5701
        float[] expected = {0.07631f, 1.12932f, -0.57007f};
        for (int c = 0; c < 3; c++) {
            for (int k = 0; k < 224 * 224; k += 997) {
                assertEquals(expected[c], out[c * 224 * 224 + k], 1e-4f, "channel " + c);
            }
        }
    }

    @ParameterizedTest(name = "{0}x{1} -> {2}x{3}")
    @CsvSource({"300, 200, 336, 224", "200, 300, 224, 336", "224, 224, 224, 224", "1000, 667, 335, 224",
        "100, 50, 448, 224", "667, 1000, 224, 335"})
    void the_short_side_becomes_the_target_and_the_long_side_is_truncated(int width, int height, int outWidth,
            int outHeight) {
        assertArrayEquals(new int[] {outHeight, outWidth}, ClipImagePreprocessor.resizedSize(width, height, 224));
    }

    @Test
    void the_centre_crop_rounds_its_offsets_down_for_odd_margins() {
        // 5x3 -> short side 3 stays, so no resize; crop 3x3 from a width-5 row starts at (5 - 3) / 2 = 1;
        // 6x3 -> offset (6 - 3) / 2 = 1 (the extra column is dropped on the right)
        int[] pixels = new int[6 * 3];
        for (int k = 0; k < pixels.length; k++) {
            pixels[k] = (k % 6) * 40 << 16;
        }
        for (int width : new int[] {5, 6}) {
            BufferedImage image = new BufferedImage(width, 3, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 3; y++) {
                image.setRGB(0, y, width, 1, pixels, y * 6, 6);
            }
            float[] out = new float[27];
            ClipImagePreprocessor.toTensor(image, 3, out, 0);
            float firstColumnRed = (float) (40 * (1.0 / 255));
            assertEquals((firstColumnRed - ClipImagePreprocessor.MEAN[0]) / ClipImagePreprocessor.STD[0], out[0],
                    "width " + width + " crop starts at column 1");
        }
    }

    @Test
    void the_tensor_is_written_at_the_offset_channel_first() {
        BufferedImage red = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        red.setRGB(0, 0, 4, 4, new int[] {0xFF0000, 0xFF0000, 0xFF0000, 0xFF0000, 0xFF0000, 0xFF0000, 0xFF0000,
            0xFF0000, 0xFF0000, 0xFF0000, 0xFF0000, 0xFF0000, 0xFF0000, 0xFF0000, 0xFF0000, 0xFF0000}, 0, 4);
        float[] out = new float[10 + 3 * 4];
        ClipImagePreprocessor.toTensor(red, 2, out, 10);
        assertEquals(0f, out[9]);
        float redValue = (1f - ClipImagePreprocessor.MEAN[0]) / ClipImagePreprocessor.STD[0];
        float zeroGreen = (0f - ClipImagePreprocessor.MEAN[1]) / ClipImagePreprocessor.STD[1];
        assertArrayEquals(new float[] {redValue, redValue, redValue, redValue, zeroGreen},
                java.util.Arrays.copyOfRange(out, 10, 15));
    }

    @Test
    void a_buffer_too_small_for_the_tensor_is_refused() {
        BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        assertThrows(IllegalArgumentException.class, () -> ClipImagePreprocessor.toTensor(image, 2, new float[11], 0));
        assertThrows(IllegalArgumentException.class, () -> ClipImagePreprocessor.toTensor(image, 2, new float[12], 1));
    }
}
