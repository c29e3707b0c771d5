package io.photomaker.gateway.submit;

/**
 * Reads an image's format and pixel size from its first bytes, without decoding it, so oversized images
 * are refused before any decoder allocates memory for them. Knows JPEG (SOFn markers), PNG (IHDR) and
 * WebP (VP8, VP8L, VP8X); names a few other formats in its refusal.
 */
public final class ImageProbe {
    private ImageProbe() {
    }

    /** What the header says. */
    public record ImageInfo(ImageFormat format, int width, int height) {
        public long pixels() {
            return (long) width * height;
        }
    }

    /** The header cannot be accepted; {@link #type()} is {@code unsupported_image_format} or {@code corrupt_image}. */
    public static final class Rejected extends RuntimeException {
        private final String type;

        Rejected(String type, String message) {
            super(message, null, false, false);
            this.type = type;
        }

        public String type() {
            return type;
        }
    }

    public static ImageInfo probe(byte[] b) {
        if (b == null || b.length < 12) {
            throw corrupt("is too short to be an image");
        }
        if (u8(b, 0) == 0xFF && u8(b, 1) == 0xD8 && u8(b, 2) == 0xFF) {
            return jpeg(b);
        }
        if (startsWith(b, 0, new int[] {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A})) {
            return png(b);
        }
        if (ascii(b, 0, "RIFF") && ascii(b, 8, "WEBP")) {
            return webp(b);
        }
        throw new Rejected("unsupported_image_format", "is " + otherFormat(b) + "; send JPEG, PNG or WebP");
    }

    private static ImageInfo png(byte[] b) {
        if (b.length < 33 || !ascii(b, 12, "IHDR") || be32(b, 8) != 13) {
            throw corrupt("is a PNG without a valid IHDR header");
        }
        long w = be32(b, 16);
        long h = be32(b, 20);
        return sized(ImageFormat.PNG, w, h);
    }

    private static ImageInfo jpeg(byte[] b) {
        int i = 2;
        while (i + 3 < b.length) {
            if (u8(b, i) != 0xFF) {
                throw corrupt("is a JPEG with a broken marker sequence");
            }
            int marker = u8(b, i + 1);
            if (marker == 0xFF) {
                i++;
                continue;
            }
            if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                i += 2;
                continue;
            }
            if (marker == 0xD9 || marker == 0xDA) {
                throw corrupt("is a JPEG whose image data starts before its frame header");
            }
            int len = be16(b, i + 2);
            if (len < 2) {
                throw corrupt("is a JPEG with a broken segment length");
            }
            boolean sof = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
            if (sof) {
                if (i + 9 > b.length || len < 8) {
                    throw corrupt("is a JPEG with a truncated frame header");
                }
                return sized(ImageFormat.JPEG, be16(b, i + 7), be16(b, i + 5));
            }
            i += 2 + len;
        }
        throw corrupt("is a JPEG without a frame header");
    }

    private static ImageInfo webp(byte[] b) {
        if (b.length < 30) {
            throw corrupt("is a WebP file too short for its header");
        }
        if (ascii(b, 12, "VP8 ")) {
            if (u8(b, 23) != 0x9D || u8(b, 24) != 0x01 || u8(b, 25) != 0x2A) {
                throw corrupt("is a WebP whose VP8 frame has no start code");
            }
            return sized(ImageFormat.WEBP, le16(b, 26) & 0x3FFF, le16(b, 28) & 0x3FFF);
        }
        if (ascii(b, 12, "VP8L")) {
            if (u8(b, 20) != 0x2F) {
                throw corrupt("is a WebP whose lossless frame has no signature");
            }
            long bits = le32(b, 21);
            return sized(ImageFormat.WEBP, (bits & 0x3FFF) + 1, ((bits >>> 14) & 0x3FFF) + 1);
        }
        if (ascii(b, 12, "VP8X")) {
            if ((u8(b, 20) & 0x02) != 0) {
                throw new Rejected("unsupported_image_format", "is an animated WebP; send a still image");
            }
            long w = (u8(b, 24) | u8(b, 25) << 8 | u8(b, 26) << 16) + 1L;
            long h = (u8(b, 27) | u8(b, 28) << 8 | u8(b, 29) << 16) + 1L;
            return sized(ImageFormat.WEBP, w, h);
        }
        throw corrupt("is a WebP with an unknown first chunk");
    }

    private static ImageInfo sized(ImageFormat f, long w, long h) {
        if (w <= 0 || h <= 0 || w > Integer.MAX_VALUE || h > Integer.MAX_VALUE) {
            throw corrupt("declares an impossible size " + w + "x" + h);
        }
        return new ImageInfo(f, (int) w, (int) h);
    }

    private static String otherFormat(byte[] b) {
        if (ascii(b, 0, "GIF8")) {
            return "a GIF";
        }
        if (ascii(b, 0, "BM")) {
            return "a BMP";
        }
        if (ascii(b, 0, "II*") || ascii(b, 0, "MM")) {
            return "a TIFF";
        }
        if (ascii(b, 4, "ftyp")) {
            return "a HEIF/AVIF or video container";
        }
        if (ascii(b, 0, "%PDF")) {
            return "a PDF";
        }
        return "not an image this API knows";
    }

    private static Rejected corrupt(String what) {
        return new Rejected("corrupt_image", what);
    }

    private static boolean startsWith(byte[] b, int at, int[] sig) {
        if (b.length < at + sig.length) {
            return false;
        }
        for (int i = 0; i < sig.length; i++) {
            if (u8(b, at + i) != sig[i]) {
                return false;
            }
        }
        return true;
    }

    private static boolean ascii(byte[] b, int at, String s) {
        if (b.length < at + s.length()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (b[at + i] != (byte) s.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int u8(byte[] b, int i) {
        return b[i] & 0xFF;
    }

    private static int be16(byte[] b, int i) {
        return i + 1 < b.length ? u8(b, i) << 8 | u8(b, i + 1) : 0;
    }

    private static long be32(byte[] b, int i) {
        return (long) be16(b, i) << 16 | be16(b, i + 2);
    }

    private static int le16(byte[] b, int i) {
        return u8(b, i) | u8(b, i + 1) << 8;
    }

    private static long le32(byte[] b, int i) {
        return (long) le16(b, i) | (long) le16(b, i + 2) << 16;
    }
}
