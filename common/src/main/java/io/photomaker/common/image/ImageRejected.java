package io.photomaker.common.image;

import io.photomaker.common.errors.ErrorType;
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
        UNSUPPORTED_IMAGE_FORMAT(ErrorType.UNSUPPORTED_IMAGE_FORMAT),
        /** Recognised, but truncated or malformed. */
        CORRUPT_IMAGE(ErrorType.CORRUPT_IMAGE),
        /** More pixels than allowed. */
        IMAGE_TOO_LARGE(ErrorType.IMAGE_TOO_LARGE),
        /** The content is an accepted format, but not the one its declared media type names. */
        IMAGE_TYPE_MISMATCH(ErrorType.IMAGE_TYPE_MISMATCH);

        private final ErrorType type;

        Reason(ErrorType type) {
            this.type = type;
        }

        /** The snake_case error type. */
        public String type() {
            return type.wireName();
        }

        /** The catalogued error type. */
        public ErrorType errorType() {
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

    /** The catalogued error type. */
    public ErrorType errorType() {
        return reason.errorType();
    }

    static ImageRejected corrupt(String message) {
        return new ImageRejected(Reason.CORRUPT_IMAGE, message);
    }

    static ImageRejected unsupported(String message) {
        return new ImageRejected(Reason.UNSUPPORTED_IMAGE_FORMAT, message);
    }
}
