package io.photomaker.worker.output;

import com.luciad.imageio.webp.CompressionType;
import com.luciad.imageio.webp.WebPImageReaderSpi;
import com.luciad.imageio.webp.WebPImageWriterSpi;
import com.luciad.imageio.webp.WebPWriteParam;
import com.luciad.imageio.webp.WebPWriter;
import com.pngencoder.PngEncoder;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.spi.IIORegistry;
import javax.imageio.spi.ImageReaderSpi;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Encodes output images: PNG with pngencoder (deflate level 6, rows compressed in parallel segments, the
 * same bytes for the same pixels), JPEG with the JDK's libjpeg-based ImageIO writer, WebP (lossy) with
 * libwebp through webp-imageio. {@code quality} (1..100) applies to JPEG and WebP. Thread-safe.
 *
 * <p>webp-imageio also brings a WebP reader; it is removed from ImageIO's registry so that uploaded photos
 * keep being decoded by the reader the image checks were written for.
 */
public final class ImageEncoder {
    /** PNG deflate level: level 6 is zlib's default, several times faster than 9 for a few percent in size. */
    static final int PNG_LEVEL = 6;

    static {
        IIORegistry registry = IIORegistry.getDefaultInstance();
        List<ImageReaderSpi> webpReaders = new ArrayList<>();
        registry.getServiceProviders(ImageReaderSpi.class, false).forEachRemaining(spi -> {
            if (spi instanceof WebPImageReaderSpi) {
                webpReaders.add(spi);
            }
        });
        webpReaders.forEach(spi -> registry.deregisterServiceProvider(spi, ImageReaderSpi.class));
    }

    private ImageEncoder() {
    }

    /** Makes sure the class (and its reader clean-up) is initialised; call once at start-up. */
    public static void init() {
        // the static initialiser has run
    }

    /** The bytes of {@code image} in {@code format}. */
    public static byte[] encode(BufferedImage image, OutputFormat format, int quality) {
        if (quality < 1 || quality > 100) {
            throw new IllegalArgumentException("quality must be 1..100, was " + quality);
        }
        return switch (format) {
            case PNG -> new PngEncoder().withBufferedImage(image).withCompressionLevel(PNG_LEVEL).toBytes();
            case JPEG -> jpeg(image, quality);
            case WEBP -> webp(image, quality);
        };
    }

    private static byte[] jpeg(BufferedImage image, int quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality / 100f);
        return write(writer, image, param);
    }

    private static byte[] webp(BufferedImage image, int quality) {
        WebPWriter writer = new WebPWriter(new WebPImageWriterSpi());
        WebPWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionType(CompressionType.Lossy);
        param.setCompressionQuality(quality / 100f);
        return write(writer, image, param);
    }

    private static byte[] write(ImageWriter writer, BufferedImage image, ImageWriteParam param) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(image.getWidth() * image.getHeight() / 4);
        // an in-memory stream: ImageIO's stream for an OutputStream may spill to a temporary file
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode " + writer.getOriginatingProvider().getFormatNames()[0]
                    .toLowerCase(Locale.ROOT), e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
