package io.photomaker.common.model;

import io.photomaker.common.errors.ErrorType;

/**
 * A model directory that cannot be used: manifest.json missing, malformed or inconsistent, or a model
 * file absent or not matching its recorded checksum. {@link #type()} is a machine-readable snake_case code.
 */
public final class ModelManifestException extends RuntimeException {


    private final ErrorType type;

    public ModelManifestException(ErrorType type, String message) {
        super(message);
        this.type = type;
    }

    public ModelManifestException(ErrorType type, String message, Throwable cause) {
        super(message, cause);
        this.type = type;
    }

    /** Machine-readable snake_case error code. */
    public String type() {
        return type.wireName();
    }

    /** The catalogued error type. */
    public ErrorType errorType() {
        return type;
    }
}
