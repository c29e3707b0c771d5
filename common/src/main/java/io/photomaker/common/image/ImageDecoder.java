package io.photomaker.common.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes an uploaded ID photo into an upright, opaque {@link BufferedImage#TYPE_INT_RGB} image, the way the
 * reference pipeline loads one ({@code exif_transpose} of JPEG, PNG and WebP, then {@code convert("RGB")}): JPEG
 * and PNG through ImageIO, WebP through the TwelveMonkeys ImageIO plugin. The pixel count is checked from the header
 * before any decoding, the decode's memory is reserved from a {@link DecodeBudget} first, and truncated or malformed
 * files are rejected rather than returned half-grey.
 */
public final class ImageDecoder {
    private static final Duration BUDGET_WAIT = Duration.ofMinutes(1);

    private ImageDecoder() {
    }

    /**
     * Decodes {@code data}.
     *
     * @param maxPixels the largest width x height accepted
     * @throws ImageRejected {@code unsupported_image_format}, {@code corrupt_image} or {@code image_too_large}
     */
    public static BufferedImage decode(byte[] data, long maxPixels) {
        return decode(data, maxPixels, DecodeBudget.shared());
    }

    /**
     * Decodes {@code data} within {@code budget}: the decode's memory, estimated from the file, is reserved
     * before the decoder runs (waiting up to a minute for other decodes) and returned after.
     *
     * @throws DecodeBudget.Busy when other decodes hold the budget for the whole wait
     */
    public static BufferedImage decode(byte[] data, long maxPixels, DecodeBudget budget) {
        if (maxPixels <= 0 || maxPixels > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxPixels must be in [1, 2^31 - 9], got " + maxPixels);
        }
        ImageHeader header = ImageHeader.probe(data);
        if (header.pixelCount() > maxPixels) {
            throw new ImageRejected(ImageRejected.Reason.IMAGE_TOO_LARGE, "image is " + header.width() + "x"
                    + header.height() + " = " + header.pixelCount() + " pixels; at most " + maxPixels + " allowed");
        }
        if (header.format() == ImageFormat.JPEG) {
            requireJpegEnd(data);
        }
        BufferedImage rgb;
        try (DecodeBudget.Reservation memory = budget.reserve(DecodeCost.estimate(data, header, 1), BUDGET_WAIT)) {
            rgb = RgbImages.toRgb(read(data, header));
        }
        return ExifOrientation.apply(rgb, ExifOrientation.read(data, header.format()));
    }

    private static void requireJpegEnd(byte[] data) {
        var segments = JpegSegments.header(data);
        var scan = segments.get(segments.size() - 1);
        if (!JpegSegments.hasEndOfImage(data, scan.payloadOffset() + scan.payloadLength())) {
            throw ImageRejected.corrupt("JPEG has no end-of-image marker (truncated file)");
        }
    }

    private static BufferedImage read(byte[] data, ImageHeader header) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(header.format().imageIoName());
        if (!readers.hasNext()) {
            throw ImageRejected.unsupported("no decoder for " + header.format() + " is installed");
        }
        ImageReader reader = readers.next();
        AtomicReference<String> truncation = new AtomicReference<>();
        try (ImageInputStream input = new MemoryCacheImageInputStream(new ByteArrayInputStream(data))) {
            reader.setInput(input, true, true);
            reader.addIIOReadWarningListener((source, warning) -> {
                if (warning != null && warning.toLowerCase(Locale.ROOT).contains("premature end")) {
                    truncation.set(warning);
                }
            });
            BufferedImage image = reader.read(0, reader.getDefaultReadParam());
            if (truncation.get() != null) {
                throw ImageRejected.corrupt(header.format() + " data ends early: " + truncation.get());
            }
            if (image == null || image.getWidth() != header.width() || image.getHeight() != header.height()) {
                throw ImageRejected.corrupt(header.format() + " decodes to other dimensions than its header says");
            }
            return image;
        } catch (IOException | RuntimeException e) {
            if (e instanceof ImageRejected rejected) {
                throw rejected;
            }
            throw new ImageRejected(ImageRejected.Reason.CORRUPT_IMAGE,
                    header.format() + " image could not be decoded: " + e.getMessage(), e);
        } finally {
            reader.dispose();
        }
    }
}
