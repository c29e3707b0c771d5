package io.photomaker.worker.onnx;

/**
 * A failure to configure, load or run an ONNX model. {@link #type()} is a machine-readable snake_case
 * code; {@link #retryable()} says whether running the same job again may succeed (runtime and device
 * errors) or not (configuration, missing or mismatched models).
 */
public final class ModelException extends RuntimeException {

    /** An execution setting (environment variable) has an invalid value. */
    public static final String INVALID_EXECUTION_CONFIG = "invalid_execution_config";
    /** CUDA was required explicitly but the CUDA provider could not be enabled. */
    public static final String CUDA_UNAVAILABLE = "cuda_unavailable";
    /** ONNX Runtime could not create a session from the model file. */
    public static final String LOAD_FAILED = "model_load_failed";
    /** The model's inputs/outputs differ from what this code drives. */
    public static final String INTERFACE_MISMATCH = "model_interface_mismatch";
    /** The requested tensor shape is not one the model accepts (for example a fixed-resolution export). */
    public static final String UNSUPPORTED_SHAPE = "unsupported_shape";
    /** ONNX Runtime failed while running the model. */
    public static final String RUN_FAILED = "model_run_failed";

    private final String type;
    private final boolean retryable;

    public ModelException(String type, String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.type = type;
        this.retryable = retryable;
    }

    public ModelException(String type, String message) {
        this(type, message, false, null);
    }

    /** Machine-readable error code, one of the constants of this class. */
    public String type() {
        return type;
    }

    /** Whether the same work may succeed when tried again. */
    public boolean retryable() {
        return retryable;
    }
}
