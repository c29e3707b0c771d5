package io.photomaker.worker.output;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.common.image.ImageDecoder;
import io.photomaker.common.image.ImageFormat;
import io.photomaker.common.image.ImageHeader;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import org.junit.jupiter.api.Test;

class ImageEncoderTest {

    /** A smooth picture with some detail, like a generated portrait rather than noise. */
    private static BufferedImage picture(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int r = (int) (127 + 120 * Math.sin(x / 23.0));
                int g = (int) (127 + 120 * Math.cos(y / 17.0));
                int b = (int) (127 + 100 * Math.sin((x + y) / 31.0));
                image.setRGB(x, y, (r << 16) | (g << 8) | b);
            }
        }
        return image;
    }

    private static int maxDifference(BufferedImage a, BufferedImage b) {
        int max = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    max = Math.max(max, Math.abs(((p >> shift) & 255) - ((q >> shift) & 255)));
                }
            }
        }
        return max;
    }

    private static double meanDifference(BufferedImage a, BufferedImage b) {
        long sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    sum += Math.abs(((p >> shift) & 255) - ((q >> shift) & 255));
                }
            }
        }
        return sum / (3.0 * a.getWidth() * a.getHeight());
    }

    @Test
    void png_is_lossless_and_the_same_pixels_give_the_same_bytes() throws IOException {
        BufferedImage image = picture(200, 150);

        byte[] first = ImageEncoder.encode(image, OutputFormat.PNG, 90);
        byte[] second = ImageEncoder.encode(picture(200, 150), OutputFormat.PNG, 10);

        assertEquals(0, maxDifference(image, ImageIO.read(new ByteArrayInputStream(first))));
        assertArrayEquals(first, second, "quality does not apply to PNG");
    }

    @Test
    void jpeg_and_webp_decode_close_to_the_picture_and_lower_quality_gives_fewer_bytes() {
        BufferedImage image = picture(256, 192);
        for (OutputFormat format : new OutputFormat[] {OutputFormat.JPEG, OutputFormat.WEBP}) {
            byte[] high = ImageEncoder.encode(image, format, 95);
            byte[] low = ImageEncoder.encode(image, format, 30);

            BufferedImage decoded = ImageDecoder.decode(high, 1_000_000);
            assertEquals(format == OutputFormat.JPEG ? ImageFormat.JPEG : ImageFormat.WEBP, ImageHeader.probe(high).format());
            assertEquals(256, decoded.getWidth());
            assertTrue(meanDifference(image, decoded) < 4, format + " differs by " + meanDifference(image, decoded));
            assertTrue(low.length < high.length, format + ": " + low.length + " vs " + high.length);
        }
    }

    @Test
    void the_formats_name_their_extension_and_content_type_and_unknown_names_are_refused() {
        assertEquals(OutputFormat.PNG, OutputFormat.of(null));
        assertEquals("jpg", OutputFormat.of("jpeg").extension());
        assertEquals("image/webp", OutputFormat.of("webp").contentType());
        assertThrows(IllegalArgumentException.class, () -> OutputFormat.of("gif"));
        assertThrows(IllegalArgumentException.class, () -> ImageEncoder.encode(picture(8, 8), OutputFormat.JPEG, 0));
    }

    @Test
    void uploaded_webp_photos_are_still_read_by_the_reader_the_image_checks_were_written_for() {
        ImageEncoder.init();

        ImageReader reader = ImageIO.getImageReadersByFormatName("webp").next();

        assertFalse(reader.getClass().getName().startsWith("com.luciad"), reader.getClass().getName());
        assertTrue(reader.getClass().getName().startsWith("com.twelvemonkeys"), reader.getClass().getName());
    }
}
