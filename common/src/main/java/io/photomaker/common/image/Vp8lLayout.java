package io.photomaker.common.image;

/**
 * What a WebP lossless (VP8L) bitstream makes a decoder allocate before its first pixel, read the way RFC 9649
 * lays the stream out: the transforms with their sub-images, the colour cache, and the entropy image whose
 * largest value decides how many groups of five prefix codes follow. That count is the memory bomb of the
 * format: a few bits per group in the file, kilobytes per group in the decoder, up to 65,536 groups whatever
 * the image size. Nothing is stored while walking: the largest group index can only come from a literal pixel,
 * because back-references and cache hits repeat pixels already seen.
 *
 * @param huffmanGroups groups of prefix codes the main image uses
 * @param colorCacheBits the main image's colour cache size in bits (0 = none)
 * @param subImagePixels pixels of all transform and entropy sub-images together
 */
record Vp8lLayout(int huffmanGroups, int colorCacheBits, long subImagePixels) {
    private static final int TRANSFORM_PREDICTOR = 0;
    private static final int TRANSFORM_CROSS_COLOR = 1;
    private static final int TRANSFORM_COLOR_INDEXING = 3;
    private static final int LITERALS = 256;
    private static final int LENGTH_CODES = 24;
    private static final int DISTANCE_CODES = 40;
    private static final int PLANE_CODES = 120;
    /** (dx, dy) of the 120 short distance codes, RFC 9649 4.2.2. */
    private static final int[] PLANE_DX_DY = {
        0, 1, 1, 0, 1, 1, -1, 1, 0, 2, 2, 0, 1, 2, -1, 2, 2, 1, -2, 1, 2, 2, -2, 2, 0, 3, 3, 0, 1, 3, -1, 3, 3, 1,
        -3, 1, 2, 3, -2, 3, 3, 2, -3, 2, 0, 4, 4, 0, 1, 4, -1, 4, 4, 1, -4, 1, 3, 3, -3, 3, 2, 4, -2, 4, 4, 2, -4, 2,
        0, 5, 3, 4, -3, 4, 4, 3, -4, 3, 5, 0, 1, 5, -1, 5, 5, 1, -5, 1, 2, 5, -2, 5, 5, 2, -5, 2, 4, 4, -4, 4, 3, 5,
        -3, 5, 5, 3, -5, 3, 0, 6, 6, 0, 1, 6, -1, 6, 6, 1, -6, 1, 2, 6, -2, 6, 6, 2, -6, 2, 4, 5, -4, 5, 5, 4, -5, 4,
        3, 6, -3, 6, 6, 3, -6, 3, 0, 7, 7, 0, 1, 7, -1, 7, 5, 5, -5, 5, 7, 1, -7, 1, 4, 6, -4, 6, 6, 4, -6, 4, 2, 7,
        -2, 7, 7, 2, -7, 2, 3, 7, -3, 7, 7, 3, -7, 3, 5, 6, -5, 6, 6, 5, -6, 5, 8, 0, 4, 7, -4, 7, 7, 4, -7, 4, 8, 1,
        8, 2, 6, 6, -6, 6, 8, 3, 5, 7, -5, 7, 7, 5, -7, 5, 8, 4, 6, 7, -6, 7, 7, 6, -7, 6, 8, 5, 7, 7, -7, 7, 8, 6,
        8, 7};

    /**
     * Walks the stream in {@code data[from, from + length)}, which starts at the transforms: after the 5-byte
     * header of a VP8L chunk, or after the one-byte header of a losslessly compressed ALPH chunk.
     */
    static Vp8lLayout read(byte[] data, int from, int length, int width, int height) {
        return new Walk(new LsbBits(data, from, length), width, height, false).run();
    }

    /**
     * As {@link #read}, then also reads every group's codes and every symbol of the main image; used to check the
     * walk against whole files. Returns the bytes of the stream left unread.
     */
    static int readToEnd(byte[] data, int from, int length, int width, int height) {
        LsbBits in = new LsbBits(data, from, length);
        new Walk(in, width, height, true).run();
        return in.bytesLeft();
    }

    /** One pass over a stream. */
    private static final class Walk {
        private final LsbBits in;
        private final int width;
        private final int height;
        private final boolean wholeImage;
        private long subImagePixels;
        private int[] metaImage;

        Walk(LsbBits in, int width, int height, boolean wholeImage) {
            this.in = in;
            this.width = width;
            this.height = height;
            this.wholeImage = wholeImage;
        }

        Vp8lLayout run() {
            int xSize = readTransforms();
            int cacheBits = readCacheBits();
            int groups = 1;
            int metaBits = 0;
            if (in.bit()) {
                metaBits = in.read(3) + 2;
                int w = blocks(xSize, metaBits);
                int h = blocks(height, metaBits);
                metaImage = wholeImage ? new int[w * h] : null;
                groups = subImage(w, h, true) + 1;
            }
            if (wholeImage) {
                PrefixCode[][] codes = new PrefixCode[groups][];
                for (int g = 0; g < groups; g++) {
                    codes[g] = readGroup(cacheBits);
                }
                decodePixels(xSize, height, codes, metaBits, cacheBits, false);
            }
            return new Vp8lLayout(groups, cacheBits, subImagePixels);
        }

        /** Reads the transforms; returns the width of the image they leave to decode (colour indexing packs it). */
        private int readTransforms() {
            int xSize = width;
            int seen = 0;
            while (in.bit()) {
                int type = in.read(2);
                if ((seen & (1 << type)) != 0) {
                    throw ImageRejected.corrupt("WebP lossless data applies one transform twice");
                }
                seen |= 1 << type;
                if (type == TRANSFORM_PREDICTOR || type == TRANSFORM_CROSS_COLOR) {
                    int bits = in.read(3) + 2;
                    subImage(blocks(xSize, bits), blocks(height, bits), false);
                } else if (type == TRANSFORM_COLOR_INDEXING) {
                    int colours = in.read(8) + 1;
                    subImage(colours, 1, false);
                    int packBits = colours <= 2 ? 3 : colours <= 4 ? 2 : colours <= 16 ? 1 : 0;
                    xSize = blocks(xSize, packBits);
                }
            }
            return xSize;
        }

        private int readCacheBits() {
            if (!in.bit()) {
                return 0;
            }
            int bits = in.read(4);
            if (bits < 1 || bits > 11) {
                throw ImageRejected.corrupt("WebP lossless data has a colour cache of " + bits + " bits");
            }
            return bits;
        }

        /** Reads an entropy-coded sub-image; returns its largest group index (red and green of a literal). */
        private int subImage(int w, int h, boolean meta) {
            subImagePixels += (long) w * h;
            int cacheBits = readCacheBits();
            PrefixCode[][] codes = {readGroup(cacheBits)};
            return decodePixels(w, h, codes, 0, cacheBits, meta);
        }

        private PrefixCode[] readGroup(int cacheBits) {
            int cacheSize = cacheBits == 0 ? 0 : 1 << cacheBits;
            return new PrefixCode[] {
                PrefixCode.read(in, LITERALS + LENGTH_CODES + cacheSize),
                PrefixCode.read(in, LITERALS),
                PrefixCode.read(in, LITERALS),
                PrefixCode.read(in, LITERALS),
                PrefixCode.read(in, DISTANCE_CODES)};
        }

        /**
         * Reads w x h pixels of LZ77-coded symbols; with {@code metaBits} > 0 each symbol's group comes from the
         * entropy image at its position. Returns the largest (red << 8 | green) of a literal pixel. Pixels are
         * kept only for the entropy image of a whole-image walk.
         */
        private int decodePixels(int w, int h, PrefixCode[][] groups, int metaBits, int cacheBits, boolean meta) {
            long total = (long) w * h;
            long pos = 0;
            int largest = 0;
            int metaWidth = metaBits == 0 ? 0 : blocks(w, metaBits);
            int cacheSize = cacheBits == 0 ? 0 : 1 << cacheBits;
            int[] kept = meta ? metaImage : null;
            int[] cache = kept != null && cacheSize > 0 ? new int[cacheSize] : null;
            while (pos < total) {
                PrefixCode[] g = metaBits == 0 ? groups[0]
                        : groups[metaImage[groupAt(pos, w, metaBits, metaWidth)] >> 8 & 0xFFFF];
                int green = g[0].decode(in);
                if (green < LITERALS) {
                    int red = g[1].decode(in);
                    int blue = g[2].decode(in);
                    int alpha = g[3].decode(in);
                    largest = Math.max(largest, red << 8 | green);
                    keep(kept, cache, cacheBits, pos, alpha << 24 | red << 16 | green << 8 | blue);
                    pos++;
                } else if (green < LITERALS + LENGTH_CODES) {
                    int run = lz77Value(green - LITERALS);
                    int distance = planeDistance(lz77Value(g[4].decode(in)), w);
                    if (distance > pos || pos + run > total) {
                        throw ImageRejected.corrupt("WebP lossless data refers outside its image");
                    }
                    for (int i = 0; kept != null && i < run; i++) {
                        keep(kept, cache, cacheBits, pos + i, kept[(int) (pos + i - distance)]);
                    }
                    pos += run;
                } else {
                    int index = green - LITERALS - LENGTH_CODES;
                    if (index >= cacheSize) {
                        throw ImageRejected.corrupt("WebP lossless data uses a colour cache it does not have");
                    }
                    if (kept != null) {
                        keep(kept, cache, cacheBits, pos, cache[index]);
                    }
                    pos++;
                }
            }
            return largest;
        }

        private static void keep(int[] kept, int[] cache, int cacheBits, long pos, int argb) {
            if (kept == null) {
                return;
            }
            kept[(int) pos] = argb;
            if (cache != null) {
                cache[(0x1E35A7BD * argb) >>> (32 - cacheBits)] = argb;
            }
        }

        private static int groupAt(long pos, int w, int metaBits, int metaWidth) {
            int x = (int) (pos % w);
            int y = (int) (pos / w);
            return (y >> metaBits) * metaWidth + (x >> metaBits);
        }

        private int lz77Value(int prefix) {
            if (prefix < 4) {
                return prefix + 1;
            }
            int extraBits = (prefix - 2) >> 1;
            int offset = (2 + (prefix & 1)) << extraBits;
            return offset + in.read(extraBits) + 1;
        }

        private static int planeDistance(int code, int xSize) {
            if (code > PLANE_CODES) {
                return code - PLANE_CODES;
            }
            int dx = PLANE_DX_DY[2 * (code - 1)];
            int dy = PLANE_DX_DY[2 * (code - 1) + 1];
            return Math.max(1, dx + dy * xSize);
        }
    }

    private static int blocks(int size, int bits) {
        return (size + (1 << bits) - 1) >> bits;
    }
}
