package io.photomaker.common.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageDecoderTest {

    private static final long MAX_PIXELS = 40_000_000L;

    @Test
    void png_pixels_come_back_exactly_as_opaque_rgb() {
        BufferedImage source = TestImages.quadrants(6, 4);
        source.setRGB(1, 1, 0x123456);
        BufferedImage decoded = ImageDecoder.decode(TestImages.png(source), MAX_PIXELS);
        assertEquals(BufferedImage.TYPE_INT_RGB, decoded.getType());
        assertArrayEquals(source.getRGB(0, 0, 6, 4, null, 0, 6), decoded.getRGB(0, 0, 6, 4, null, 0, 6));
    }

    @Test
    void alpha_is_dropped_without_compositing_like_pil_convert_rgb() {
        BufferedImage argb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
        argb.setRGB(0, 0, 0x00336699);
        argb.setRGB(1, 0, 0x80C08040);
        BufferedImage decoded = ImageDecoder.decode(TestImages.png(argb), MAX_PIXELS);
        assertEquals(0x336699, decoded.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0xC08040, decoded.getRGB(1, 0) & 0xFFFFFF);
    }

    @Test
    void grey_values_are_replicated_without_gamma_conversion() {
        BufferedImage grey = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSamples(0, 0, 3, 1, 0, new int[] {0, 128, 200});
        BufferedImage decoded = ImageDecoder.decode(TestImages.png(grey), MAX_PIXELS);
        assertArrayEquals(new int[] {0x000000, 0x808080, 0xC8C8C8}, rgb(decoded));
    }

    @Test
    void sixteen_bit_grey_keeps_the_high_byte() {
        BufferedImage grey = new BufferedImage(2, 1, BufferedImage.TYPE_USHORT_GRAY);
        grey.getRaster().setSamples(0, 0, 2, 1, 0, new int[] {0x1234, 0xFF00});
        BufferedImage decoded = ImageDecoder.decode(TestImages.png(grey), MAX_PIXELS);
        assertArrayEquals(new int[] {0x121212, 0xFFFFFF & 0xFFFFFF}, rgb(decoded));
    }

    @Test
    void palette_pngs_are_looked_up() {
        byte[] reds = {(byte) 10, (byte) 250};
        byte[] greens = {(byte) 20, (byte) 0};
        byte[] blues = {(byte) 30, (byte) 128};
        BufferedImage indexed = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_BINARY,
                new IndexColorModel(1, 2, reds, greens, blues));
        WritableRaster raster = indexed.getRaster();
        raster.setSample(0, 0, 0, 1);
        raster.setSample(1, 0, 0, 0);
        BufferedImage decoded = ImageDecoder.decode(TestImages.png(indexed), MAX_PIXELS);
        assertArrayEquals(new int[] {0xFA0080, 0x0A141E}, rgb(decoded));
    }

    @Test
    void jpeg_decodes_to_its_colours_within_compression_error() {
        BufferedImage decoded = ImageDecoder.decode(TestImages.jpeg(TestImages.quadrants(64, 32), false), MAX_PIXELS);
        assertEquals(64, decoded.getWidth());
        assertEquals(32, decoded.getHeight());
        assertCorners(decoded, "RGBW");
    }

    @ParameterizedTest(name = "orientation {0} -> {1}")
    @CsvSource({"1, RGBW", "2, GRWB", "3, WBGR", "4, BWRG", "5, RBGW", "6, BRWG", "7, WGBR", "8, GWRB"})
    void exif_orientation_turns_the_photo_upright_like_pil_exif_transpose(int orientation, String corners) {
        byte[] jpeg = TestImages.withExifOrientation(TestImages.jpeg(TestImages.quadrants(64, 32), false),
                orientation, orientation % 2 == 0);
        assertEquals(orientation, ExifOrientation.read(jpeg));
        BufferedImage decoded = ImageDecoder.decode(jpeg, MAX_PIXELS);
        boolean swapped = orientation >= 5;
        assertEquals(swapped ? 32 : 64, decoded.getWidth());
        assertEquals(swapped ? 64 : 32, decoded.getHeight());
        assertCorners(decoded, corners);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"oriented-6-exif.png, PNG, 6, BRWG", "oriented-8-exif.webp, WEBP, 8, GWRB",
            "oriented-3-exif-prefix.webp, WEBP, 3, WBGR"})
    void png_and_webp_exif_orientation_is_applied_as_pil_exif_transpose_does(String file, ImageFormat format,
            int orientation, String corners) {
        // written by Pillow (generate_oriented.py); the corners are those of ImageOps.exif_transpose's result
        byte[] data = TestImages.resource(file);
        assertEquals(orientation, ExifOrientation.read(data, format));
        BufferedImage decoded = ImageDecoder.decode(data, MAX_PIXELS);
        boolean swapped = orientation >= 5;
        assertEquals(swapped ? 8 : 16, decoded.getWidth());
        assertEquals(swapped ? 16 : 8, decoded.getHeight());
        assertCorners(decoded, corners);
    }

    @Test
    void png_and_webp_without_exif_or_with_truncated_chunks_keep_their_orientation() {
        byte[] png = TestImages.resource("oriented-6-exif.png");
        assertEquals(1, ExifOrientation.read(TestImages.png(TestImages.quadrants(4, 2)), ImageFormat.PNG));
        assertEquals(1, ExifOrientation.read(java.util.Arrays.copyOf(png, 50), ImageFormat.PNG));
        byte[] webp = TestImages.resource("oriented-8-exif.webp");
        assertEquals(1, ExifOrientation.read(TestImages.resource("lossless-5x3.webp"), ImageFormat.WEBP));
        assertEquals(1, ExifOrientation.read(java.util.Arrays.copyOf(webp, webp.length - 4), ImageFormat.WEBP));
    }

    @Test
    void jpegs_without_exif_or_with_a_broken_one_keep_their_orientation() {
        byte[] plain = TestImages.jpeg(TestImages.quadrants(16, 8), false);
        assertEquals(1, ExifOrientation.read(plain));
        byte[] broken = TestImages.withExifOrientation(plain, 6, false);
        int tiffStart = indexOf(broken, "Exif".getBytes()) + 6;
        broken[tiffStart] = 'X';
        assertEquals(1, ExifOrientation.read(broken));
        assertEquals(16, ImageDecoder.decode(broken, MAX_PIXELS).getWidth());
    }

    @Test
    void webp_lossless_pixels_decode_exactly() {
        BufferedImage decoded = ImageDecoder.decode(TestImages.resource("lossless-5x3.webp"), MAX_PIXELS);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 5; x++) {
                int expected = ((40 * x + 20) << 16) | ((80 * y + 10) << 8) | (250 - 50 * x);
                assertEquals(expected, decoded.getRGB(x, y) & 0xFFFFFF, "pixel " + x + "," + y);
            }
        }
    }

    @Test
    void webp_alpha_is_dropped_without_compositing() {
        BufferedImage lossless = ImageDecoder.decode(TestImages.resource("lossless-alpha-4x2.webp"), MAX_PIXELS);
        assertEquals((20 << 16) | (10 << 8) | 250, lossless.getRGB(0, 0) & 0xFFFFFF, "RGB under alpha 0 kept");
        BufferedImage lossy = ImageDecoder.decode(TestImages.resource("lossy-alpha-6x4.webp"), MAX_PIXELS);
        assertTrue(TestImages.near(0x1E78DC, lossy.getRGB(2, 2) & 0xFFFFFF, 6),
                Integer.toHexString(lossy.getRGB(2, 2)));
    }

    @Test
    void webp_lossy_decodes_to_its_colour() {
        BufferedImage decoded = ImageDecoder.decode(TestImages.resource("lossy-16x8.webp"), MAX_PIXELS);
        assertEquals(16, decoded.getWidth());
        assertTrue(TestImages.near(0xC83C1E, decoded.getRGB(8, 4) & 0xFFFFFF, 6), Integer.toHexString(decoded.getRGB(8, 4)));
    }

    @Test
    void images_over_the_pixel_limit_are_refused_before_decoding() {
        byte[] huge = TestImages.pngHeader(100_000, 90_000, new byte[16]);
        ImageRejected rejected = assertThrows(ImageRejected.class, () -> ImageDecoder.decode(huge, MAX_PIXELS));
        assertEquals("image_too_large", rejected.type());
        byte[] small = TestImages.png(TestImages.quadrants(20, 10));
        assertEquals("image_too_large", assertThrows(ImageRejected.class, () -> ImageDecoder.decode(small, 199)).type());
        assertEquals(20, ImageDecoder.decode(small, 200).getWidth());
    }

    @Test
    void truncated_files_are_corrupt_rather_than_half_decoded() {
        byte[] jpeg = TestImages.jpeg(TestImages.quadrants(64, 64), false);
        assertCorrupt(Arrays.copyOf(jpeg, jpeg.length * 2 / 3));
        byte[] png = TestImages.png(noise(64, 64));
        assertCorrupt(Arrays.copyOf(png, png.length / 2));
        byte[] webp = TestImages.resource("lossy-16x8.webp");
        assertCorrupt(Arrays.copyOf(webp, webp.length - 8));
    }

    @Test
    void a_jpeg_cut_short_but_closed_with_an_end_marker_is_corrupt() {
        byte[] jpeg = TestImages.jpeg(noise(64, 64), false);
        byte[] cut = Arrays.copyOf(jpeg, jpeg.length / 2);
        assertCorrupt(TestImages.concat(cut, new byte[] {(byte) 0xFF, (byte) 0xD9}));
    }

    @Test
    void a_valid_png_header_over_garbage_is_corrupt() {
        byte[] garbage = new byte[200];
        new java.util.Random(3).nextBytes(garbage);
        assertCorrupt(TestImages.pngHeader(8, 8, garbage));
    }

    @Test
    void a_jpeg_with_garbage_instead_of_markers_is_corrupt() {
        byte[] jpeg = TestImages.jpeg(TestImages.quadrants(16, 16), false);
        byte[] damaged = Arrays.copyOf(jpeg, jpeg.length);
        Arrays.fill(damaged, 20, 40, (byte) 0x11);
        assertCorrupt(damaged);
    }

    @Test
    void the_pixel_limit_itself_must_be_sane() {
        assertThrows(IllegalArgumentException.class, () -> ImageDecoder.decode(new byte[4], 0));
    }

    private static BufferedImage noise(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        java.util.Random random = new java.util.Random(1);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(0x1000000));
            }
        }
        return image;
    }

    private static int[] rgb(BufferedImage image) {
        int[] pixels = image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
        for (int k = 0; k < pixels.length; k++) {
            pixels[k] &= 0xFFFFFF;
        }
        return pixels;
    }

    private static void assertCorners(BufferedImage image, String corners) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[][] points = {{2, 2}, {w - 3, 2}, {2, h - 3}, {w - 3, h - 3}};
        for (int k = 0; k < 4; k++) {
            int expected = switch (corners.charAt(k)) {
                case 'R' -> TestImages.RED;
                case 'G' -> TestImages.GREEN;
                case 'B' -> TestImages.BLUE;
                default -> TestImages.WHITE;
            };
            int actual = image.getRGB(points[k][0], points[k][1]) & 0xFFFFFF;
            assertTrue(TestImages.near(expected, actual, 12), "corner " + k + " expected " + corners.charAt(k)
                    + " but was " + Integer.toHexString(actual));
        }
    }

    private static int indexOf(byte[] data, byte[] needle) {
        outer:
        for (int k = 0; k + needle.length <= data.length; k++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[k + j] != needle[j]) {
                    continue outer;
                }
            }
            return k;
        }
        throw new AssertionError("not found");
    }

    private static void assertCorrupt(byte[] data) {
        ImageRejected rejected = assertThrows(ImageRejected.class, () -> ImageDecoder.decode(data, MAX_PIXELS));
        assertEquals("corrupt_image", rejected.type(), rejected.getMessage());
    }
}
