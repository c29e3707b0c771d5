package io.photomaker.common.job;

import io.photomaker.common.errors.ErrorType;

/**
 * One reason a request is rejected, reported to the client as {@code {"error": {type, message, field}}}.
 *
 * @param error the catalogued error type
 * @param message a sentence for people
 * @param field the offending field, or null when the request as a whole is wrong
 */
public record RequestViolation(ErrorType error, String message, String field) {

    /** The snake_case type clients read. */
    public String type() {
        return error.wireName();
    }
}
