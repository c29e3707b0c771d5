package io.photomaker.gateway.submit;

/** The ID photo formats the system accepts, with their media type and the file extension used in object keys. */
public enum ImageFormat {
    JPEG("image/jpeg", "jpg"),
    PNG("image/png", "png"),
    WEBP("image/webp", "webp");

    private final String mediaType;
    private final String extension;

    ImageFormat(String mediaType, String extension) {
        this.mediaType = mediaType;
        this.extension = extension;
    }

    public String mediaType() {
        return mediaType;
    }

    public String extension() {
        return extension;
    }

    /** The format a media type names ({@code image/jpg} too), or null for anything else. */
    public static ImageFormat ofMediaType(String mediaType) {
        if (mediaType == null) {
            return null;
        }
        String t = mediaType.trim().toLowerCase(java.util.Locale.ROOT);
        int semi = t.indexOf(';');
        if (semi >= 0) {
            t = t.substring(0, semi).trim();
        }
        return switch (t) {
            case "image/jpeg", "image/jpg", "image/pjpeg" -> JPEG;
            case "image/png" -> PNG;
            case "image/webp" -> WEBP;
            default -> null;
        };
    }
}
