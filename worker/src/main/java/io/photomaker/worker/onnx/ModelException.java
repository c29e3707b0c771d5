package io.photomaker.worker.onnx;

import io.photomaker.common.errors.ErrorType;
/**
 * A failure to configure, load or run an ONNX model. {@link #type()} is a machine-readable snake_case
 * code; {@link #retryable()} says whether running the same job again may succeed (runtime and device
 * errors) or not (configuration, missing or mismatched models).
 */
public final class ModelException extends RuntimeException {


    private final ErrorType type;
    private final boolean retryable;

    public ModelException(ErrorType type, String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.type = type;
        this.retryable = retryable;
    }

    public ModelException(ErrorType type, String message) {
        this(type, message, false, null);
    }

    /** Machine-readable snake_case error code. */
    public String type() {
        return type.wireName();
    }

    /** The catalogued error type. */
    public ErrorType errorType() {
        return type;
    }

    /** Whether the same work may succeed when tried again. */
    public boolean retryable() {
        return retryable;
    }
}
