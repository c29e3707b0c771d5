package io.photomaker.worker.pipeline;

import io.photomaker.common.errors.ErrorType;
import io.photomaker.common.image.ImageRejected;
import io.photomaker.common.model.ModelManifestException;
import io.photomaker.common.prompt.PromptError;
import io.photomaker.worker.onnx.ModelException;

/**
 * A generation that failed, with a machine-readable snake_case {@link #type()} and whether trying the same
 * job again may succeed: bad input (prompt errors, undecodable images, invalid parameters) is not
 * retryable; ONNX Runtime and device errors are.
 */
public final class PipelineException extends RuntimeException {


    private final ErrorType type;
    private final String field;
    private final boolean retryable;

    public PipelineException(ErrorType type, String field, String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.type = type;
        this.field = field;
        this.retryable = retryable;
    }

    /** Bad input in request field {@code field}: never retryable. */
    public static PipelineException badInput(ErrorType type, String field, String message) {
        return new PipelineException(type, field, message, false, null);
    }

    /** Maps a failure from the pipeline's parts to its type and retryability. */
    public static PipelineException from(RuntimeException e) {
        if (e instanceof PipelineException p) {
            return p;
        }
        if (e instanceof PromptError p) {
            return new PipelineException(p.errorType(), p.field(), p.getMessage(), false, p);
        }
        if (e instanceof ImageRejected r) {
            return new PipelineException(r.errorType(), "id_images", r.getMessage(), false, r);
        }
        if (e instanceof ModelManifestException m) {
            return new PipelineException(m.errorType(), null, m.getMessage(), false, m);
        }
        if (e instanceof ModelException m) {
            return new PipelineException(m.errorType(), null, m.getMessage(), m.retryable(), m);
        }
        if (e instanceof IllegalArgumentException) {
            return new PipelineException(ErrorType.INVALID_REQUEST, null, e.getMessage(), false, e);
        }
        return new PipelineException(ErrorType.INTERNAL_ERROR, null, "generation failed: " + e, false, e);
    }

    /** Machine-readable snake_case error code. */
    public String type() {
        return type.wireName();
    }

    /** The catalogued error type. */
    public ErrorType errorType() {
        return type;
    }

    /** The request field at fault, or null when the failure is not about one field. */
    public String field() {
        return field;
    }

    /** Whether running the same job again may succeed. */
    public boolean retryable() {
        return retryable;
    }
}
