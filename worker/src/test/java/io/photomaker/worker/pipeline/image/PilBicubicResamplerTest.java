package io.photomaker.worker.pipeline.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PilBicubicResamplerTest {

    @Test
    void the_cubic_kernel_has_its_textbook_values() {
        assertEquals(1.0, PilBicubicResampler.kernel(0));
        assertEquals(0.8671875, PilBicubicResampler.kernel(0.25));
        assertEquals(0.2265625, PilBicubicResampler.kernel(-0.75));
        assertEquals(-0.0703125, PilBicubicResampler.kernel(1.25));
        assertEquals(0.0, PilBicubicResampler.kernel(1.0), 0.0);
        assertEquals(0.0, PilBicubicResampler.kernel(2.0), 0.0);
    }

    @Test
    void halving_four_pixels_uses_the_widened_antialiasing_kernel() {
        // scale 2 widens the support to 4: output 0 is centred on input 1.0 with taps at distances
        // 0.25, 0.25, 0.75, 1.25 (after dividing by 2): weights 0.8671875, 0.8671875, 0.2265625, -0.0703125,
        // normalised by their sum 1.890625. [0, 100, 200, 255] -> 60.35 -> 60 and 220.68 -> 221
        assertArrayEquals(new int[] {60, 221}, resizeGrey(new int[] {0, 100, 200, 255}, 2));
    }

    @Test
    void stretching_three_pixels_to_five_interpolates_and_clips_like_pillow() {
        // centres 0.3, 0.9, 1.5, 2.1, 2.7; e.g. output 0 uses taps at 0.2 and 1.2: 0.912 and -0.064 over 0.848,
        // so 40 * 1.07547 - 200 * 0.07547 = 27.92 -> 28; output 2 lands on input 1 exactly -> 200
        assertArrayEquals(new int[] {28, 103, 200, 110, 39}, resizeGrey(new int[] {40, 200, 50}, 5));
        // the same first output of [10, 200, 50] is negative (-4.3) and clips to 0
        assertEquals(0, resizeGrey(new int[] {10, 200, 50}, 5)[0]);
    }

    @Test
    void resized_bytes_match_pillow_exactly() {
        for (String[] line : PillowReference.lines("resize")) {
            int width = Integer.parseInt(line[1]);
            int height = Integer.parseInt(line[2]);
            int outWidth = Integer.parseInt(line[3]);
            int outHeight = Integer.parseInt(line[4]);
            int[] out = PilBicubicResampler.resizeWindow(PillowReference.patternPixels(width, height), width, height,
                    outWidth, outHeight, 0, 0, outWidth, outHeight);
            byte[] bytes = PillowReference.rgbBytes(out);
            String what = width + "x" + height + " -> " + outWidth + "x" + outHeight;
            for (int k = 0; k < 6; k++) {
                assertEquals(Integer.parseInt(line[6 + k]), bytes[k] & 0xFF, what + " byte " + k);
            }
            assertEquals(line[5], PillowReference.sha256(bytes), what);
        }
    }

    @Test
    void a_window_of_the_output_equals_the_same_region_of_the_full_resize() {
        int[] source = PillowReference.patternPixels(90, 70);
        int[] full = PilBicubicResampler.resizeWindow(source, 90, 70, 41, 33, 0, 0, 41, 33);
        int[] window = PilBicubicResampler.resizeWindow(source, 90, 70, 41, 33, 5, 7, 20, 11);
        for (int y = 0; y < 11; y++) {
            assertArrayEquals(Arrays.copyOfRange(full, (7 + y) * 41 + 5, (7 + y) * 41 + 25),
                    Arrays.copyOfRange(window, y * 20, y * 20 + 20), "row " + y);
        }
    }

    @Test
    void an_unchanged_axis_is_copied() {
        int[] source = PillowReference.patternPixels(6, 4);
        assertArrayEquals(source, PilBicubicResampler.resizeWindow(source, 6, 4, 6, 4, 0, 0, 6, 4));
        int[] stretched = PilBicubicResampler.resizeWindow(source, 6, 4, 6, 9, 0, 0, 6, 9);
        assertFalse(Arrays.equals(Arrays.copyOf(source, 6), Arrays.copyOfRange(stretched, 6, 12)));
    }

    @Test
    void a_window_outside_the_output_is_refused() {
        assertThrows(IllegalArgumentException.class,
                () -> PilBicubicResampler.resizeWindow(new int[4], 2, 2, 3, 3, 1, 1, 3, 3));
    }

    private static int[] resizeGrey(int[] values, int outWidth) {
        int[] pixels = new int[values.length];
        for (int k = 0; k < values.length; k++) {
            pixels[k] = values[k] * 0x010101;
        }
        int[] out = PilBicubicResampler.resizeWindow(pixels, values.length, 1, outWidth, 1, 0, 0, outWidth, 1);
        int[] grey = new int[outWidth];
        for (int k = 0; k < outWidth; k++) {
            assertEquals(out[k] & 0xFF, (out[k] >> 16) & 0xFF, "channels must agree");
            grey[k] = out[k] & 0xFF;
        }
        return grey;
    }
}
