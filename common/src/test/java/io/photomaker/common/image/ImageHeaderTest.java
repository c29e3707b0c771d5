package io.photomaker.common.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ImageHeaderTest {

    @Test
    void formats_are_recognised_by_their_magic_bytes_only() {
        assertEquals(Optional.of(ImageFormat.JPEG), ImageFormat.detect(TestImages.jpeg(TestImages.quadrants(8, 8), false)));
        assertEquals(Optional.of(ImageFormat.PNG), ImageFormat.detect(TestImages.png(TestImages.quadrants(8, 8))));
        assertEquals(Optional.of(ImageFormat.WEBP), ImageFormat.detect(TestImages.resource("lossless-5x3.webp")));
        assertEquals(Optional.empty(), ImageFormat.detect("GIF89a....".getBytes()));
        assertEquals(Optional.empty(), ImageFormat.detect(new byte[0]));
        assertEquals("image/webp", ImageFormat.WEBP.mediaType());
    }

    @Test
    void unknown_formats_are_rejected_as_unsupported() {
        ImageRejected gif = assertThrows(ImageRejected.class, () -> ImageHeader.probe("GIF89a\1\0\1\0".getBytes()));
        assertEquals("unsupported_image_format", gif.type());
        ImageRejected riffWave = assertThrows(ImageRejected.class,
                () -> ImageHeader.probe("RIFF\4\0\0\0WAVEfmt ".getBytes()));
        assertEquals("unsupported_image_format", riffWave.type());
    }

    @Test
    void a_refused_file_of_a_known_other_format_is_named_in_the_message() {
        ImageRejected gif = assertThrows(ImageRejected.class, () -> ImageHeader.probe("GIF89a\1\0\1\0".getBytes()));
        assertTrue(gif.getMessage().contains("GIF"), gif.getMessage());
        ImageRejected pdf = assertThrows(ImageRejected.class, () -> ImageFormat.sniff("%PDF-1.7 ....".getBytes()));
        assertTrue(pdf.getMessage().contains("PDF"), pdf.getMessage());
    }

    @Test
    void declared_media_types_map_to_formats_with_their_object_key_extensions() {
        assertEquals(Optional.of(ImageFormat.JPEG), ImageFormat.fromMediaType("image/jpg"));
        assertEquals(Optional.of(ImageFormat.PNG), ImageFormat.fromMediaType(" Image/PNG; charset=binary"));
        assertEquals(Optional.empty(), ImageFormat.fromMediaType("image/gif"));
        assertEquals(Optional.empty(), ImageFormat.fromMediaType(null));
        assertEquals("jpg", ImageFormat.JPEG.extension());
        assertEquals("webp", ImageFormat.WEBP.extension());
    }

    @Test
    void a_declared_type_naming_another_format_is_a_mismatch() {
        ImageHeader png = ImageHeader.probe(TestImages.png(TestImages.quadrants(4, 4)));
        png.checkDeclaredType("image/png");
        png.checkDeclaredType(null);
        png.checkDeclaredType("application/octet-stream");
        ImageRejected mismatch = assertThrows(ImageRejected.class, () -> png.checkDeclaredType("image/jpeg"));
        assertEquals("image_type_mismatch", mismatch.type());
        assertTrue(mismatch.getMessage().contains("image/png"), mismatch.getMessage());
        assertEquals("unsupported_image_format",
                assertThrows(ImageRejected.class, () -> png.checkDeclaredType("image/heic")).type());
    }

    @ParameterizedTest(name = "{0}x{1} progressive={2}")
    @CsvSource({"37, 23, false", "1, 1, false", "300, 17, true"})
    void jpeg_dimensions_come_from_the_frame_header(int width, int height, boolean progressive) {
        ImageHeader header = ImageHeader.probe(TestImages.jpeg(TestImages.quadrants(width, height), progressive));
        assertEquals(new ImageHeader(ImageFormat.JPEG, width, height), header);
        assertEquals((long) width * height, header.pixelCount());
    }

    @Test
    void png_dimensions_come_from_ihdr() {
        assertEquals(new ImageHeader(ImageFormat.PNG, 37, 23), ImageHeader.probe(TestImages.png(TestImages.quadrants(37, 23))));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"lossless-5x3.webp, 5, 3", "lossless-alpha-4x2.webp, 4, 2", "lossy-16x8.webp, 16, 8",
        "lossy-alpha-6x4.webp, 6, 4"})
    void webp_dimensions_come_from_the_vp8_vp8l_or_vp8x_header(String file, int width, int height) {
        assertEquals(new ImageHeader(ImageFormat.WEBP, width, height), ImageHeader.probe(TestImages.resource(file)));
    }

    @Test
    void huge_declared_dimensions_are_reported_without_decoding() {
        ImageHeader header = ImageHeader.probe(TestImages.pngHeader(100_000, 90_000, new byte[0]));
        assertEquals(9_000_000_000L, header.pixelCount());
    }

    @Test
    void truncated_headers_are_corrupt() {
        byte[] jpeg = TestImages.jpeg(TestImages.quadrants(40, 20), false);
        assertCorrupt(Arrays.copyOf(jpeg, 60));
        assertCorrupt(Arrays.copyOf(TestImages.png(TestImages.quadrants(4, 4)), 20));
        byte[] webp = TestImages.resource("lossless-5x3.webp");
        assertCorrupt(Arrays.copyOf(webp, webp.length - 5));
    }

    @Test
    void a_png_signature_followed_by_garbage_is_corrupt() {
        byte[] garbage = new byte[64];
        Arrays.fill(garbage, (byte) 0x5A);
        byte[] signature = Arrays.copyOf(TestImages.png(TestImages.quadrants(4, 4)), 8);
        assertCorrupt(TestImages.concat(signature, garbage));
    }

    @Test
    void a_damaged_ihdr_checksum_is_corrupt() {
        byte[] png = TestImages.png(TestImages.quadrants(4, 4));
        png[18] ^= 0x01;
        assertCorrupt(png);
    }

    @Test
    void a_jpeg_whose_scan_comes_before_any_frame_header_is_corrupt() {
        byte[] jpeg = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xDA, 0, 2, 0, 0, (byte) 0xFF, (byte) 0xD9};
        assertCorrupt(jpeg);
    }

    @Test
    void arithmetic_coded_and_cmyk_jpegs_are_unsupported() {
        byte[] jpeg = TestImages.jpeg(TestImages.quadrants(16, 16), false);
        int sof = indexOfMarker(jpeg, 0xC0);
        byte[] arithmetic = jpeg.clone();
        arithmetic[sof + 1] = (byte) 0xC9;
        assertEquals("unsupported_image_format", assertThrows(ImageRejected.class, () -> ImageHeader.probe(arithmetic)).type());
        byte[] cmyk = jpeg.clone();
        cmyk[sof + 9] = 4;
        assertEquals("unsupported_image_format", assertThrows(ImageRejected.class, () -> ImageHeader.probe(cmyk)).type());
    }

    @Test
    void animated_webp_is_unsupported() {
        ImageRejected rejected = assertThrows(ImageRejected.class,
                () -> ImageHeader.probe(TestImages.resource("animated-2frames.webp")));
        assertEquals("unsupported_image_format", rejected.type());
        assertTrue(rejected.getMessage().contains("animated"), rejected.getMessage());
    }

    private static int indexOfMarker(byte[] data, int marker) {
        for (int k = 2; k + 1 < data.length; k++) {
            if ((data[k] & 0xFF) == 0xFF && (data[k + 1] & 0xFF) == marker) {
                return k;
            }
        }
        throw new AssertionError("marker not found");
    }

    private static void assertCorrupt(byte[] data) {
        ImageRejected rejected = assertThrows(ImageRejected.class, () -> ImageHeader.probe(data));
        assertEquals("corrupt_image", rejected.type(), rejected.getMessage());
    }
}
