package io.photomaker.gateway.submit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.common.image.ImageHeader;
import io.photomaker.gateway.support.TestImages;
import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class PngVerifierTest {
    private static byte[] png(int type, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, type);
        BufferedImage noise = TestImages.noise(w, h, w * 31L + h);
        img.getGraphics().drawImage(noise, 0, 0, null);
        return TestImages.encode(img, "png");
    }

    private static void verify(byte[] png) {
        var info = ImageHeader.probe(png);
        PngVerifier.verify(png, info.width(), info.height());
    }

    @Test
    void intact_pngs_of_every_common_pixel_layout_pass() {
        for (int type : new int[] {BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_BYTE_GRAY,
            BufferedImage.TYPE_BYTE_BINARY, BufferedImage.TYPE_BYTE_INDEXED, BufferedImage.TYPE_USHORT_GRAY}) {
            byte[] png = png(type, 37, 23);
            assertTrue(PngVerifier.handles(png));
            assertDoesNotThrow(() -> verify(png), "type " + type);
        }
    }

    @Test
    void a_truncated_png_fails() {
        byte[] png = TestImages.png(40, 40, 1);
        for (int cut : new int[] {40, png.length / 2, png.length - 13, png.length - 1}) {
            assertThrows(IllegalArgumentException.class, () -> verify(TestImages.truncated(png, cut)), "cut " + cut);
        }
    }

    @Test
    void a_flipped_byte_in_the_pixel_data_fails_its_crc() {
        byte[] png = TestImages.png(40, 40, 2).clone();
        png[png.length / 2] ^= 0x20;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> verify(png));
        assertTrue(e.getMessage().contains("CRC"), e.getMessage());
    }

    @Test
    void pixel_data_for_a_smaller_image_than_the_header_claims_fails() {
        byte[] png = TestImages.png(40, 40, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PngVerifier.verify(png, 40, 41));
        assertTrue(e.getMessage().contains("incomplete"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PngVerifier.verify(png, 40, 39));
    }
}
