package io.photomaker.worker.pipeline.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class VaeImageConverterTest {

    @Test
    void values_map_from_minus_one_to_one_onto_bytes() {
        assertEquals(0, VaeImageConverter.toByte(-1f));
        assertEquals(255, VaeImageConverter.toByte(1f));
        assertEquals(128, VaeImageConverter.toByte(0f), "0.5 * 255 = 127.5 rounds half to even: 128");
        assertEquals(0, VaeImageConverter.toByte(-3f), "clamped below");
        assertEquals(255, VaeImageConverter.toByte(7f), "clamped above");
        assertEquals(0, VaeImageConverter.toByte(Float.NaN));
    }

    @Test
    void exact_halves_round_to_even_like_numpy() {
        assertEquals(126, VaeImageConverter.toByte(inputScalingTo(126.5f)), "126.5 -> 126");
        assertEquals(128, VaeImageConverter.toByte(inputScalingTo(127.5f)), "127.5 -> 128");
        assertEquals(128, VaeImageConverter.toByte(inputScalingTo(128.5f)), "128.5 -> 128");
        assertEquals(130, VaeImageConverter.toByte(inputScalingTo(129.5f)), "129.5 -> 130");
    }

    @Test
    void channel_planes_become_rgb_pixels() throws IOException {
        // [3, 1, 2]: pixel 0 = (-1, 0, 1) -> (0, 128, 255); pixel 1 = (1, -1, 0) -> (255, 0, 128)
        float[] chw = {-1f, 1f, 0f, -1f, 1f, 0f};
        BufferedImage image = VaeImageConverter.toImage(chw, 0, 1, 2);
        assertEquals(0x0080FF, image.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0xFF0080, image.getRGB(1, 0) & 0xFFFFFF);
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(VaeImageConverter.toPng(chw, 0, 1, 2)));
        assertEquals(0x0080FF, decoded.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0xFF0080, decoded.getRGB(1, 0) & 0xFFFFFF);
    }

    @Test
    void the_same_floats_always_give_the_same_png_bytes() {
        float[] chw = new float[3 * 64 * 48 + 7];
        java.util.SplittableRandom random = new java.util.SplittableRandom(9);
        for (int k = 0; k < chw.length; k++) {
            chw[k] = (float) (random.nextDouble() * 2.2 - 1.1);
        }
        assertArrayEquals(VaeImageConverter.toPng(chw, 7, 64, 48), VaeImageConverter.toPng(chw.clone(), 7, 64, 48));
    }

    @Test
    void latents_are_divided_by_the_scaling_factor_in_place_or_not() {
        float[] latents = {0.13025f, -0.2605f, 1f};
        float[] out = new float[3];
        VaeImageConverter.unscaleLatents(latents, VaeImageConverter.SDXL_SCALING_FACTOR, out);
        assertArrayEquals(new float[] {1f, -2f, 1f / 0.13025f}, out);
        VaeImageConverter.unscaleLatents(latents, VaeImageConverter.SDXL_SCALING_FACTOR, latents);
        assertArrayEquals(out, latents);
        assertThrows(IllegalArgumentException.class, () -> VaeImageConverter.unscaleLatents(latents, 0f, out));
    }

    @Test
    void too_short_buffers_are_refused() {
        assertThrows(IllegalArgumentException.class, () -> VaeImageConverter.toImage(new float[11], 0, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> VaeImageConverter.toImage(new float[12], 1, 2, 2));
    }

    /** A float x near 0 whose float32 (x * 0.5 + 0.5) * 255 is exactly {@code product}. */
    private static float inputScalingTo(float product) {
        for (float unit = Math.nextDown(product / 255f - 1e-5f); unit < product / 255f + 1e-5f;
                unit = Math.nextUp(unit)) {
            float x = (unit - 0.5f) * 2f;
            if ((x * 0.5f + 0.5f) * 255f == product) {
                return x;
            }
        }
        throw new AssertionError("no float input gives exactly " + product);
    }
}
