package io.photomaker.common.prompt;

import java.util.List;

/**
 * A prompt the pipeline cannot use, with a machine-readable {@link #type()} (snake_case), a human
 * message and the request field at fault. Thrown by the gateway's checks before a job is queued and by
 * the worker's prompt tokenizer, so both report the same types.
 */
public final class PromptError extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The prompt does not contain the trigger word. */
    public static final String TRIGGER_WORD_MISSING = "trigger_word_missing";
    /** The prompt contains the trigger word more than once. */
    public static final String TRIGGER_WORD_REPEATED = "trigger_word_repeated";
    /** The trigger word is the first word or follows punctuation, so there is no class word to stack. */
    public static final String TRIGGER_WORD_WITHOUT_CLASS_WORD = "trigger_word_without_class_word";
    /** The negative prompt contains the trigger word. */
    public static final String TRIGGER_WORD_IN_NEGATIVE_PROMPT = "trigger_word_in_negative_prompt";
    /** No ID image was given. */
    public static final String NO_ID_IMAGES = "no_id_images";
    /** The stacked class tokens would not fit the 77-token window of the text encoders. */
    public static final String PROMPT_TOO_LONG = "prompt_too_long";
    /** The style name is not one of the style templates. */
    public static final String UNKNOWN_STYLE = "unknown_style";

    /** Request field names used in {@link #field()}. */
    public static final String FIELD_PROMPT = "prompt";
    /** The negative prompt field. */
    public static final String FIELD_NEGATIVE_PROMPT = "negative_prompt";
    /** The ID images field. */
    public static final String FIELD_ID_IMAGES = "id_images";
    /** The style field. */
    public static final String FIELD_STYLE = "style";

    private final String type;
    private final String field;
    private final List<String> allowedValues;

    /** An error without a list of allowed values. */
    public PromptError(String type, String field, String message) {
        this(type, field, message, List.of());
    }

    /** An error that also lists the values the field accepts (for example the style names). */
    public PromptError(String type, String field, String message, List<String> allowedValues) {
        super(message);
        this.type = type;
        this.field = field;
        this.allowedValues = List.copyOf(allowedValues);
    }

    /** The machine-readable error type, one of the constants of this class. */
    public String type() {
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
