package io.photomaker.common.image;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/** The image formats accepted for ID photos, recognised by their magic bytes (never by name or content type). */
public enum ImageFormat {
    /** JPEG / JFIF / Exif: starts with FF D8 FF. */
    JPEG("image/jpeg", "jpeg", "jpg"),
    /** PNG: the 8-byte PNG signature. */
    PNG("image/png", "png", "png"),
    /** WebP: a RIFF container of form type WEBP. */
    WEBP("image/webp", "webp", "webp");

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private final String mediaType;
    private final String imageIoName;
    private final String extension;

    ImageFormat(String mediaType, String imageIoName, String extension) {
        this.mediaType = mediaType;
        this.imageIoName = imageIoName;
        this.extension = extension;
    }

    /** The IANA media type, e.g. {@code image/png}. */
    public String mediaType() {
        return mediaType;
    }

    /** The file extension used in object keys, e.g. {@code jpg}. */
    public String extension() {
        return extension;
    }

    /**
     * The format a declared media type names ({@code image/jpg} and parameters such as {@code ;q=1} accepted),
     * or empty for anything else, including null.
     */
    public static Optional<ImageFormat> fromMediaType(String mediaType) {
        if (mediaType == null) {
            return Optional.empty();
        }
        String type = mediaType.trim().toLowerCase(Locale.ROOT);
        int semicolon = type.indexOf(';');
        if (semicolon >= 0) {
            type = type.substring(0, semicolon).trim();
        }
        return switch (type) {
            case "image/jpeg", "image/jpg", "image/pjpeg" -> Optional.of(JPEG);
            case "image/png" -> Optional.of(PNG);
            case "image/webp" -> Optional.of(WEBP);
            default -> Optional.empty();
        };
    }

    /** The ImageIO format name of the reader for this format. */
    String imageIoName() {
        return imageIoName;
    }

    /** The format whose magic bytes {@code data} starts with, if any. */
    public static Optional<ImageFormat> detect(byte[] data) {
        if (data == null) {
            return Optional.empty();
        }
        if (startsWith(data, 0, new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF})) {
            return Optional.of(JPEG);
        }
        if (startsWith(data, 0, PNG_SIGNATURE)) {
            return Optional.of(PNG);
        }
        if (startsWith(data, 0, new byte[] {'R', 'I', 'F', 'F'}) && startsWith(data, 8, new byte[] {'W', 'E', 'B', 'P'})) {
            return Optional.of(WEBP);
        }
        return Optional.empty();
    }

    /**
     * The format of {@code data}.
     *
     * @throws ImageRejected {@code unsupported_image_format} when the bytes are none of the accepted formats
     */
    public static ImageFormat sniff(byte[] data) {
        return detect(data).orElseThrow(() -> ImageRejected.unsupported(
                otherFormat(data) + "; send a JPEG, PNG or WebP image"));
    }

    /** Names a few formats people upload by mistake, so the refusal says what was sent. */
    private static String otherFormat(byte[] data) {
        if (data == null || data.length == 0) {
            return "the file is empty";
        }
        if (startsWith(data, 0, ascii("GIF8"))) {
            return "the file is a GIF";
        }
        if (startsWith(data, 0, ascii("BM"))) {
            return "the file is a BMP";
        }
        if (startsWith(data, 0, ascii("II*")) || startsWith(data, 0, ascii("MM\0*"))) {
            return "the file is a TIFF";
        }
        if (startsWith(data, 4, ascii("ftyp"))) {
            return "the file is a HEIF/AVIF image or a video";
        }
        if (startsWith(data, 0, ascii("%PDF"))) {
            return "the file is a PDF";
        }
        return "not a JPEG, PNG or WebP image (unrecognised file signature)";
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static boolean startsWith(byte[] data, int offset, byte[] prefix) {
        if (data.length < offset + prefix.length) {
            return false;
        }
        for (int k = 0; k < prefix.length; k++) {
            if (data[offset + k] != prefix[k]) {
                return false;
            }
        }
        return true;
    }
}
