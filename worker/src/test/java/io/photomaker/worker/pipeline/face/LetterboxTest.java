package io.photomaker.worker.pipeline.face;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LetterboxTest {

    @Test
    void a_portrait_fills_the_height_and_its_width_is_cut_to_an_integer() {
        // 300x400: ratio 4/3 > 1, new height 640, new width int(640 / (400/300)) = int(479.99...) = 480
        Letterbox box = Letterbox.of(RgbRaster.blank(300, 400), 640);
        assertEquals(640, box.image().width());
        assertEquals(640.0 / 400, box.scale(), 1e-15);
        // 333x500 -> new width int(640 / 1.5015...) = 426
        Letterbox odd = Letterbox.of(grey(333, 500), 640);
        assertEquals(200, odd.image().sample(425, 10, 0));
        assertEquals(0, odd.image().sample(426, 10, 0));
    }

    @Test
    void a_landscape_fills_the_width_and_the_rest_is_black_below() {
        // 500x333: ratio 0.666 <= 1, new width 640, new height int(640 * 0.666) = 426, scale 426 / 333
        Letterbox box = Letterbox.of(grey(500, 333), 640);
        assertEquals(426.0 / 333, box.scale(), 1e-15);
        assertEquals(200, box.image().sample(639, 425, 2));
        assertEquals(0, box.image().sample(639, 426, 2));
    }

    @Test
    void the_blob_is_rgb_planes_with_the_detector_normalisation() {
        // 2x1 into 2x2: the picture fills row 0, row 1 is padding
        RgbRaster img = new RgbRaster(2, 1, new byte[] {(byte) 255, 0, (byte) 128, (byte) 255, 0, (byte) 128});
        Letterbox box = Letterbox.of(img, 2);
        float[] blob = box.blob();
        assertEquals(12, blob.length);
        assertEquals((255 - 127.5f) / 128f, blob[0], 1e-7f);
        assertEquals((0 - 127.5f) / 128f, blob[4], 1e-7f);
        assertEquals((128 - 127.5f) / 128f, blob[8], 1e-7f);
        // the padding is black: (0 - 127.5) / 128
        assertEquals(-127.5f / 128f, blob[2], 1e-7f);
        assertEquals(-127.5f / 128f, blob[11], 1e-7f);
    }

    private static RgbRaster grey(int width, int height) {
        byte[] rgb = new byte[width * height * 3];
        java.util.Arrays.fill(rgb, (byte) 200);
        return new RgbRaster(width, height, rgb);
    }
}
