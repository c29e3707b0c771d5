package io.photomaker.worker.output;

import java.util.Locale;

/** The file formats a job's outputs can be stored in, with their object key extension and content type. */
public enum OutputFormat {
    PNG("png", "image/png"),
    JPEG("jpg", "image/jpeg"),
    WEBP("webp", "image/webp");

    private final String extension;
    private final String contentType;

    OutputFormat(String extension, String contentType) {
        this.extension = extension;
        this.contentType = contentType;
    }

    public String extension() {
        return extension;
    }

    public String contentType() {
        return contentType;
    }

    /** The format a request names ({@code png}, {@code jpeg}, {@code webp}); PNG when it names none. */
    public static OutputFormat of(String wireName) {
        if (wireName == null) {
            return PNG;
        }
        return switch (wireName.toLowerCase(Locale.ROOT)) {
            case "png" -> PNG;
            case "jpeg", "jpg" -> JPEG;
            case "webp" -> WEBP;
            default -> throw new IllegalArgumentException("unknown output format " + wireName);
        };
    }
}
