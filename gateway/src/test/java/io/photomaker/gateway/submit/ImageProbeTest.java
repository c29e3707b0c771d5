package io.photomaker.gateway.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.photomaker.gateway.support.TestImages;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ImageProbeTest {
    @Test
    void png_size_comes_from_the_ihdr_chunk() {
        var info = ImageProbe.probe(TestImages.png(123, 45, 1));
        assertEquals(new ImageProbe.ImageInfo(ImageFormat.PNG, 123, 45), info);
    }

    @Test
    void jpeg_size_comes_from_the_frame_header_after_other_segments() {
        var info = ImageProbe.probe(TestImages.jpeg(77, 99, 2));
        assertEquals(new ImageProbe.ImageInfo(ImageFormat.JPEG, 77, 99), info);
    }

    @Test
    void webp_size_is_read_from_lossy_and_lossless_frames() {
        assertEquals(new ImageProbe.ImageInfo(ImageFormat.WEBP, 48, 40), ImageProbe.probe(TestImages.webpLossy()));
        assertEquals(new ImageProbe.ImageInfo(ImageFormat.WEBP, 48, 40), ImageProbe.probe(TestImages.webpLossless()));
    }

    @Test
    void a_header_only_png_reports_the_size_it_claims() {
        var info = ImageProbe.probe(TestImages.pngHeaderOnly(100_000, 70_000));
        assertEquals(7_000_000_000L, info.pixels());
    }

    @Test
    void other_formats_are_named_in_the_refusal() {
        var gif = assertThrows(ImageProbe.Rejected.class,
                () -> ImageProbe.probe("GIF89a..........".getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals("unsupported_image_format", gif.type());
        assertEquals("is a GIF; send JPEG, PNG or WebP", gif.getMessage());
    }

    @Test
    void truncated_headers_are_corrupt() {
        byte[] png = TestImages.png(10, 10, 3);
        assertEquals("corrupt_image", assertThrows(ImageProbe.Rejected.class,
                () -> ImageProbe.probe(TestImages.truncated(png, 20))).type());
        byte[] jpeg = TestImages.jpeg(10, 10, 4);
        assertEquals("corrupt_image", assertThrows(ImageProbe.Rejected.class,
                () -> ImageProbe.probe(TestImages.truncated(jpeg, 14))).type());
        assertEquals("corrupt_image", assertThrows(ImageProbe.Rejected.class,
                () -> ImageProbe.probe(new byte[] {1, 2})).type());
    }

    @Test
    void a_png_declaring_zero_width_is_corrupt() {
        assertEquals("corrupt_image", assertThrows(ImageProbe.Rejected.class,
                () -> ImageProbe.probe(TestImages.pngHeaderOnly(0, 10))).type());
    }
}
