package io.photomaker.common.image;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * Format and pixel dimensions of an image, read from its header without decoding: JPEG start-of-frame, PNG IHDR,
 * WebP VP8 / VP8L / VP8X. Dimensions are as stored (before any EXIF rotation, which never changes the pixel count).
 *
 * @param format the detected format
 * @param width  width in pixels
 * @param height height in pixels
 */
public record ImageHeader(ImageFormat format, int width, int height) {

    /** width x height. */
    public long pixelCount() {
        return (long) width * height;
    }

    /**
     * Reads the header of {@code data}.
     *
     * @throws ImageRejected {@code unsupported_image_format} for unknown formats and for variants no decoder here
     *                       reads (lossless or arithmetic-coded or CMYK JPEG, animated WebP), {@code corrupt_image}
     *                       for malformed or truncated headers
     */
    public static ImageHeader probe(byte[] data) {
        ImageFormat format = ImageFormat.sniff(data);
        return switch (format) {
            case JPEG -> probeJpeg(data);
            case PNG -> probePng(data);
            case WEBP -> probeWebp(data);
        };
    }

    /**
     * Checks the media type a client declared for this image (multipart part header or data-URI). A missing
     * or non-image type (e.g. {@code application/octet-stream}) says nothing and passes.
     *
     * @throws ImageRejected {@code image_type_mismatch} when it names another accepted format,
     *                       {@code unsupported_image_format} when it names an image type this system does not take
     */
    public void checkDeclaredType(String declaredMediaType) {
        Optional<ImageFormat> claimed = ImageFormat.fromMediaType(declaredMediaType);
        if (claimed.isPresent() && claimed.get() != format) {
            throw new ImageRejected(ImageRejected.Reason.IMAGE_TYPE_MISMATCH, "was sent as " + declaredMediaType.trim()
                    + " but its content is " + format.mediaType());
        }
        if (claimed.isEmpty() && declaredMediaType != null
                && declaredMediaType.trim().toLowerCase(Locale.ROOT).startsWith("image/")) {
            throw ImageRejected.unsupported("was sent as " + declaredMediaType.trim() + "; send JPEG, PNG or WebP");
        }
    }

    private static ImageHeader probeJpeg(byte[] data) {
        for (JpegSegments.Segment segment : JpegSegments.header(data)) {
            if (!JpegSegments.isStartOfFrame(segment.marker())) {
                continue;
            }
            if (segment.payloadLength() < 6) {
                throw ImageRejected.corrupt("JPEG frame header is too short");
            }
            int marker = segment.marker();
            if (marker > 0xC2) {
                throw ImageRejected.unsupported("lossless, hierarchical or arithmetic-coded JPEG (SOF 0x"
                        + Integer.toHexString(marker) + ") is not supported; use baseline or progressive JPEG");
            }
            int at = segment.payloadOffset();
            int height = JpegSegments.readU16(data, at + 1);
            int width = JpegSegments.readU16(data, at + 3);
            int components = data[at + 5] & 0xFF;
            if (components != 1 && components != 3) {
                throw ImageRejected.unsupported("JPEG with " + components
                        + " colour components (e.g. CMYK) is not supported; use an RGB or greyscale JPEG");
            }
            return checked(ImageFormat.JPEG, width, height);
        }
        throw ImageRejected.corrupt("JPEG has no frame header before its first scan");
    }

    private static ImageHeader probePng(byte[] data) {
        if (data.length < 33) {
            throw ImageRejected.corrupt("PNG is too short to hold its IHDR chunk (truncated file)");
        }
        if (readU32(data, 8) != 13 || data[12] != 'I' || data[13] != 'H' || data[14] != 'D' || data[15] != 'R') {
            throw ImageRejected.corrupt("PNG does not start with a valid IHDR chunk");
        }
        CRC32 crc = new CRC32();
        crc.update(data, 12, 17);
        if (crc.getValue() != readU32(data, 29)) {
            throw ImageRejected.corrupt("PNG IHDR checksum mismatch (damaged file)");
        }
        long width = readU32(data, 16);
        long height = readU32(data, 20);
        if (width > Integer.MAX_VALUE || height > Integer.MAX_VALUE) {
            throw ImageRejected.corrupt("PNG declares impossible dimensions " + width + "x" + height);
        }
        if (!validPngDepth(data[25] & 0xFF, data[24] & 0xFF)) {
            throw ImageRejected.corrupt("PNG declares an invalid colour type / bit depth combination");
        }
        return checked(ImageFormat.PNG, (int) width, (int) height);
    }

    private static boolean validPngDepth(int colourType, int bitDepth) {
        return switch (colourType) {
            case 0 -> bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8 || bitDepth == 16;
            case 3 -> bitDepth == 1 || bitDepth == 2 || bitDepth == 4 || bitDepth == 8;
            case 2, 4, 6 -> bitDepth == 8 || bitDepth == 16;
            default -> false;
        };
    }

    private static ImageHeader probeWebp(byte[] data) {
        if (data.length < 30) {
            throw ImageRejected.corrupt("WebP is too short to hold its image header (truncated file)");
        }
        long riffSize = readU32Le(data, 4);
        if (riffSize + 8 > data.length) {
            throw ImageRejected.corrupt("WebP is shorter than its RIFF header declares (truncated file)");
        }
        List<WebpChunks.Chunk> chunks = WebpChunks.list(data);
        WebpChunks.Chunk first = chunks.get(0);
        if (first.is("VP8X")) {
            return probeVp8x(data, chunks);
        }
        if (!first.is("VP8 ") && !first.is("VP8L")) {
            throw ImageRejected.corrupt("WebP has no VP8, VP8L or VP8X chunk first");
        }
        WebpChunks.Frame frame = WebpChunks.frame(data, first);
        return checked(ImageFormat.WEBP, frame.width(), frame.height());
    }

    /**
     * An extended WebP: the canvas comes from VP8X, and the frame inside must have exactly that size, since the
     * decoder allocates for the frame (a 64x64 canvas around a 16383x16383 frame is a memory bomb, not a photo).
     */
    private static ImageHeader probeVp8x(byte[] data, List<WebpChunks.Chunk> chunks) {
        WebpChunks.Chunk vp8x = chunks.get(0);
        if (vp8x.payloadLength() < 10) {
            throw ImageRejected.corrupt("WebP VP8X chunk is too short");
        }
        int flags = data[vp8x.payloadOffset()] & 0xFF;
        if ((flags & 0x02) != 0) {
            throw ImageRejected.unsupported("animated WebP is not supported; upload a still image");
        }
        int width = readU24Le(data, vp8x.payloadOffset() + 4) + 1;
        int height = readU24Le(data, vp8x.payloadOffset() + 7) + 1;
        WebpChunks.Frame frame = WebpChunks.frame(data, WebpChunks.image(chunks));
        if (frame.width() != width || frame.height() != height) {
            throw ImageRejected.corrupt("WebP frame is " + frame.width() + "x" + frame.height()
                    + " but its canvas is " + width + "x" + height);
        }
        return checked(ImageFormat.WEBP, width, height);
    }

    private static ImageHeader checked(ImageFormat format, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw ImageRejected.corrupt(format + " declares an empty image (" + width + "x" + height + ")");
        }
        return new ImageHeader(format, width, height);
    }

    private static long readU32(byte[] data, int pos) {
        return ((long) (data[pos] & 0xFF) << 24) | ((data[pos + 1] & 0xFF) << 16) | ((data[pos + 2] & 0xFF) << 8)
                | (data[pos + 3] & 0xFF);
    }

    private static long readU32Le(byte[] data, int pos) {
        return ((long) (data[pos + 3] & 0xFF) << 24) | ((data[pos + 2] & 0xFF) << 16) | ((data[pos + 1] & 0xFF) << 8)
                | (data[pos] & 0xFF);
    }

    private static int readU24Le(byte[] data, int pos) {
        return ((data[pos + 2] & 0xFF) << 16) | ((data[pos + 1] & 0xFF) << 8) | (data[pos] & 0xFF);
    }
}
