package io.photomaker.common.prompt;

import io.photomaker.common.errors.ErrorType;
import java.util.List;

/**
 * A prompt the pipeline cannot use, with a machine-readable {@link #type()} (snake_case), a human
 * message and the request field at fault. Thrown by the gateway's checks before a job is queued and by
 * the worker's prompt tokenizer, so both report the same types.
 */
public final class PromptError extends RuntimeException {

    private static final long serialVersionUID = 1L;


    /** Request field names used in {@link #field()}. */
    public static final String FIELD_PROMPT = "prompt";
    /** The negative prompt field. */
    public static final String FIELD_NEGATIVE_PROMPT = "negative_prompt";
    /** The ID images field. */
    public static final String FIELD_ID_IMAGES = "id_images";
    /** The style field. */
    public static final String FIELD_STYLE = "style";

    private final ErrorType type;
    private final String field;
    private final List<String> allowedValues;

    /** An error without a list of allowed values. */
    public PromptError(ErrorType type, String field, String message) {
        this(type, field, message, List.of());
    }

    /** An error that also lists the values the field accepts (for example the style names). */
    public PromptError(ErrorType type, String field, String message, List<String> allowedValues) {
        super(message);
        this.type = type;
        this.field = field;
        this.allowedValues = List.copyOf(allowedValues);
    }

    /** The machine-readable snake_case error type. */
    public String type() {
        return type.wireName();
    }

    /** The catalogued error type. */
    public ErrorType errorType() {
        return type;
    }

    /** The request field at fault, e.g. {@code prompt}. */
    public String field() {
        return field;
    }

    /** The human-readable explanation. */
    public String message() {
        return getMessage();
    }

    /** Values the field accepts, when the error is about an unknown value; otherwise empty. */
    public List<String> allowedValues() {
        return allowedValues;
    }
}
