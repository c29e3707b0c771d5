package io.photomaker.gateway.submit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.common.image.ImageHeader;
import io.photomaker.gateway.support.TestImages;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
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

    @Test
    void rows_that_straddle_the_inflate_buffer_are_checked_to_the_last_one() {
        // 3000 grey pixels a row: 3001 bytes with its filter byte, so rows cross every 64 KiB buffer boundary.
        int width = 3000;
        int height = 60;
        byte[] rows = filteredRows(width, height, 5);
        assertDoesNotThrow(() -> PngVerifier.verify(greyPng(width, height, rows), width, height));
        for (int badRow : new int[] {0, 21, 22, height - 1}) {
            byte[] damaged = rows.clone();
            damaged[badRow * (width + 1)] = 7;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> PngVerifier.verify(greyPng(width, height, damaged), width, height), "row " + badRow);
            assertTrue(e.getMessage().contains("filter"), e.getMessage());
        }
    }

    /** Raw scanlines of 8-bit grey, each starting with a valid filter type (0..4). */
    private static byte[] filteredRows(int width, int height, long seed) {
        Random random = new Random(seed);
        byte[] rows = new byte[(width + 1) * height];
        random.nextBytes(rows);
        for (int y = 0; y < height; y++) {
            rows[y * (width + 1)] = (byte) random.nextInt(5);
        }
        return rows;
    }

    /** A PNG with correct CRCs around {@code rows}, whatever those hold. */
    private static byte[] greyPng(int width, int height, byte[] rows) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        byte[] ihdr = new byte[13];
        be32(ihdr, 0, width);
        be32(ihdr, 4, height);
        ihdr[8] = 8;
        chunk(out, "IHDR", ihdr);
        Deflater deflater = new Deflater();
        deflater.setInput(rows);
        deflater.finish();
        byte[] buf = new byte[rows.length + 1024];
        int n = deflater.deflate(buf);
        deflater.end();
        chunk(out, "IDAT", java.util.Arrays.copyOf(buf, n));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] head = new byte[8];
        be32(head, 0, data.length);
        System.arraycopy(type.getBytes(StandardCharsets.US_ASCII), 0, head, 4, 4);
        out.writeBytes(head);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(head, 4, 4);
        crc.update(data);
        byte[] tail = new byte[4];
        be32(tail, 0, (int) crc.getValue());
        out.writeBytes(tail);
    }

    private static void be32(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 24);
        b[at + 1] = (byte) (v >>> 16);
        b[at + 2] = (byte) (v >>> 8);
        b[at + 3] = (byte) v;
    }
}
