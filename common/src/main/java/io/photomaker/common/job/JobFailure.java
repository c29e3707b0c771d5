package io.photomaker.common.job;

import io.photomaker.common.errors.ErrorType;

/**
 * Why a job (or one attempt of it) failed. The message is what clients read, so it is passed through
 * {@link FailureText#scrub} whichever way the failure is made (including when read back from a topic).
 *
 * @param type machine-readable snake_case type, e.g. {@code invalid_image} or {@code storage_unavailable}
 * @param message a sentence for people
 * @param retryable whether running the job again may succeed (infrastructure), or not (bad input)
 */
public record JobFailure(String type, String message, boolean retryable) {
    public JobFailure {
        message = FailureText.scrub(message);
    }

    /** A failure of catalogued {@code type}, retryable as the catalog says. */
    public static JobFailure of(ErrorType type, String message) {
        return new JobFailure(type.wireName(), message, type.retryable());
    }

    /** A failure of catalogued {@code type} whose emitter decides retryability for this one failure. */
    public static JobFailure of(ErrorType type, String message, boolean retryable) {
        return new JobFailure(type.wireName(), message, retryable);
    }

    public static JobFailure permanent(String type, String message) {
        return new JobFailure(type, message, false);
    }

    public static JobFailure transientFailure(String type, String message) {
        return new JobFailure(type, message, true);
    }
}
