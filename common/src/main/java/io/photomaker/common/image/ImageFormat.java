package io.photomaker.common.image;

import java.util.Optional;

/** The image formats accepted for ID photos, recognised by their magic bytes (never by name or content type). */
public enum ImageFormat {
    /** JPEG / JFIF / Exif: starts with FF D8 FF. */
    JPEG("image/jpeg", "jpeg"),
    /** PNG: the 8-byte PNG signature. */
    PNG("image/png", "png"),
    /** WebP: a RIFF container of form type WEBP. */
    WEBP("image/webp", "webp");

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private final String mediaType;
    private final String imageIoName;

    ImageFormat(String mediaType, String imageIoName) {
        this.mediaType = mediaType;
        this.imageIoName = imageIoName;
    }

    /** The IANA media type, e.g. {@code image/png}. */
    public String mediaType() {
        return mediaType;
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
                "not a JPEG, PNG or WebP image (unrecognised file signature)"));
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
