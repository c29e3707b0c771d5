package io.photomaker.worker.pipeline;

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

    /** A request parameter is out of range or inconsistent. */
    public static final String INVALID_REQUEST = "invalid_request";
    /** An ID embedding does not have the width the loaded models use. */
    public static final String INVALID_ID_EMBEDDING = "invalid_id_embedding";
    /** The model directory describes something this pipeline cannot run (e.g. an unsupported scheduler). */
    public static final String UNSUPPORTED_MODEL = "unsupported_model";
    /** PhotoMaker V2 found no face in any ID photo. */
    public static final String NO_FACE_DETECTED = "no_face_detected";
    /** An unexpected failure inside the pipeline. */
    public static final String INTERNAL_ERROR = "internal_error";

    private final String type;
    private final String field;
    private final boolean retryable;

    public PipelineException(String type, String field, String message, boolean retryable, Throwable cause) {
        super(message, cause);
        this.type = type;
        this.field = field;
        this.retryable = retryable;
    }

    /** Bad input in request field {@code field}: never retryable. */
    public static PipelineException badInput(String type, String field, String message) {
        return new PipelineException(type, field, message, false, null);
    }

    /** Maps a failure from the pipeline's parts to its type and retryability. */
    public static PipelineException from(RuntimeException e) {
        if (e instanceof PipelineException p) {
            return p;
        }
        if (e instanceof PromptError p) {
            return new PipelineException(p.type(), p.field(), p.getMessage(), false, p);
        }
        if (e instanceof ImageRejected r) {
            return new PipelineException(r.type(), "id_images", r.getMessage(), false, r);
        }
        if (e instanceof ModelManifestException m) {
            return new PipelineException(m.type(), null, m.getMessage(), false, m);
        }
        if (e instanceof ModelException m) {
            return new PipelineException(m.type(), null, m.getMessage(), m.retryable(), m);
        }
        if (e instanceof IllegalArgumentException) {
            return new PipelineException(INVALID_REQUEST, null, e.getMessage(), false, e);
        }
        return new PipelineException(INTERNAL_ERROR, null, "generation failed: " + e, false, e);
    }

    /** Machine-readable error code. */
    public String type() {
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
