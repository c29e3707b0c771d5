package io.photomaker.worker.output;

import com.luciad.imageio.webp.CompressionType;
import com.luciad.imageio.webp.WebPImageReaderSpi;
import com.luciad.imageio.webp.WebPImageWriterSpi;
import com.luciad.imageio.webp.WebPWriteParam;
import com.luciad.imageio.webp.WebPWriter;
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
 * Encodes output images: PNG and JPEG with the JDK's ImageIO writers (PNG at deflate level 2: within a few percent of
 * the default level's size and about a fifth faster; the same pixels always give the same
 * bytes), WebP (lossy) with libwebp through webp-imageio at method 2 (a third of the default method's time for
 * a file within a few percent of its size). {@code quality} (1..100) applies to JPEG and WebP. Measured by
 * {@code ./photomaker bench encode}. Thread-safe.
 *
 * <p>webp-imageio also brings a WebP reader; it is removed from ImageIO's registry so that uploaded photos
 * keep being decoded by the reader the image checks were written for.
 */
public final class ImageEncoder {
    /** ImageIO's PNG writer maps quality q to deflate level round(9 * (1 - q)): 0.75 is level 2. */
    static final float PNG_QUALITY = 0.75f;
    /** libwebp's speed/size trade-off, 0 (fastest) .. 6; 4 is its default. */
    static final int WEBP_METHOD = 2;

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
            case PNG -> png(image);
            case JPEG -> jpeg(image, quality);
            case WEBP -> webp(image, quality);
        };
    }

    private static byte[] png(BufferedImage image) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("png").next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(PNG_QUALITY);
        return write(writer, image, param);
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
        param.setMethod(WEBP_METHOD);
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
