package io.photomaker.common.image;

import java.util.List;

/**
 * An estimate, from the file alone, of the memory one decode takes at its peak: the decoder's own buffers for
 * the format (JPEG coefficients of a progressive frame, WebP macroblock state, lossless prefix-code groups and
 * full-size rasters, PNG rows) plus the pixels it returns. Generous rather than exact: it is what a decode reserves
 * from a {@link DecodeBudget} before it starts. Walking the file also refuses what no decoder should be handed:
 * progressive JPEGs with absurd numbers of scans, impossible sampling factors, malformed lossless WebP streams.
 */
public final class DecodeCost {
    /** Per group of five prefix codes in the lossless WebP decoder: five 256-entry tables and their second level. */
    static final long BYTES_PER_PREFIX_GROUP = 8 * 1024;
    /** Per VP8 macroblock: mode, segment, filter and skip state kept for the whole frame. */
    static final long BYTES_PER_MACROBLOCK = 128;
    /** Per VP8 macroblock column: three rows of macroblock objects with their sub-blocks. */
    static final long BYTES_PER_MACROBLOCK_COLUMN = 3 * 8 * 1024;
    private static final long RGB_BYTES = 4;

    private DecodeCost() {
    }

    /**
     * Bytes a decode of {@code data} needs.
     *
     * @param header the file's header, as {@link ImageHeader#probe} read it
     * @param subsampling 1 for a full decode into RGB ({@link ImageDecoder}); n > 1 for a check that reads every
     *                    n-th pixel of every n-th row and keeps the decoder's own image type
     * @throws ImageRejected {@code corrupt_image} when walking the file finds it malformed
     */
    public static long estimate(byte[] data, ImageHeader header, int subsampling) {
        if (subsampling < 1) {
            throw new IllegalArgumentException("subsampling must be at least 1, was " + subsampling);
        }
        long w = header.width();
        long h = header.height();
        long out = ceilDiv(w, subsampling) * ceilDiv(h, subsampling);
        long rgb = subsampling == 1 ? out * RGB_BYTES : 0;
        long decoder = switch (header.format()) {
            case JPEG -> jpeg(JpegLayout.read(data), w, out);
            case PNG -> png(data, w, out);
            case WEBP -> webp(data, w, h, out);
        };
        return decoder + rgb;
    }

    private static long jpeg(JpegLayout layout, long width, long out) {
        long raster = out * layout.components();
        long working = layout.progressive() ? layout.blockCount() * 64 * 2 : width * 16 * layout.components() * 4;
        return raster + working;
    }

    private static long png(byte[] data, long width, long out) {
        int depth = data[24] & 0xFF;
        int channels = switch (data[25] & 0xFF) {
            case 2 -> 3;
            case 4 -> 2;
            case 6 -> 4;
            default -> 1;
        };
        long bytesPerSample = depth == 16 ? 2 : 1;
        long rowBytes = width * channels * bytesPerSample;
        return out * channels * bytesPerSample + 4 * rowBytes + (1 << 16);
    }

    private static long webp(byte[] data, long w, long h, long out) {
        List<WebpChunks.Chunk> chunks = WebpChunks.list(data);
        WebpChunks.Chunk image = WebpChunks.image(chunks);
        long cost = out * RGB_BYTES;
        if (image.is("VP8L")) {
            Vp8lLayout layout = Vp8lLayout.read(data, image.payloadOffset() + 5, image.payloadLength() - 5,
                    (int) w, (int) h);
            cost += lossless(layout, w, h);
        } else {
            long columns = ceilDiv(w, 16);
            cost += columns * ceilDiv(h, 16) * BYTES_PER_MACROBLOCK + (columns + 2) * BYTES_PER_MACROBLOCK_COLUMN;
        }
        WebpChunks.Chunk alpha = WebpChunks.alpha(chunks);
        if (alpha != null && alpha.payloadLength() > 0 && (data[alpha.payloadOffset()] & 0x03) == 1) {
            cost += lossless(Vp8lLayout.read(data, alpha.payloadOffset() + 1, alpha.payloadLength() - 1,
                    (int) w, (int) h), w, h);
        } else if (alpha != null) {
            cost += w * h;
        }
        return cost;
    }

    /** A lossless stream is always decoded whole into an ARGB raster of its full size, sub-images alike. */
    private static long lossless(Vp8lLayout layout, long w, long h) {
        long cache = layout.colorCacheBits() == 0 ? 0 : 4L << layout.colorCacheBits();
        return w * h * RGB_BYTES + layout.subImagePixels() * RGB_BYTES * 2
                + layout.huffmanGroups() * BYTES_PER_PREFIX_GROUP + cache;
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
