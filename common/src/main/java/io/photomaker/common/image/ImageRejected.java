package io.photomaker.common.image;

import java.util.Objects;

/**
 * An uploaded image that cannot be used, with a machine-readable {@link #type()} for API errors and a message a
 * person can act on.
 */
public final class ImageRejected extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why an image was rejected. */
    public enum Reason {
        /** Not JPEG, PNG or still WebP (or a variant of them no decoder here reads). */
        UNSUPPORTED_IMAGE_FORMAT("unsupported_image_format"),
        /** Recognised, but truncated or malformed. */
        CORRUPT_IMAGE("corrupt_image"),
        /** More pixels than allowed. */
        IMAGE_TOO_LARGE("image_too_large"),
        /** The content is an accepted format, but not the one its declared media type names. */
        IMAGE_TYPE_MISMATCH("image_type_mismatch");

        private final String type;

        Reason(String type) {
            this.type = type;
        }

        /** The snake_case error type. */
        public String type() {
            return type;
        }
    }

    private final Reason reason;

    /** A rejection for {@code reason} with a human-readable message. */
    public ImageRejected(Reason reason, String message) {
        super(message);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** A rejection caused by a decoder failure. */
    public ImageRejected(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
    }

    /** Why the image was rejected. */
    public Reason reason() {
        return reason;
    }

    /** The snake_case error type, e.g. {@code corrupt_image}. */
    public String type() {
        return reason.type();
    }

    static ImageRejected corrupt(String message) {
        return new ImageRejected(Reason.CORRUPT_IMAGE, message);
    }

    static ImageRejected unsupported(String message) {
        return new ImageRejected(Reason.UNSUPPORTED_IMAGE_FORMAT, message);
    }
}
