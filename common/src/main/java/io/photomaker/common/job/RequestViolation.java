package io.photomaker.common.job;

/**
 * One reason a request is rejected, reported to the client as {@code {"error": {type, message, field}}}.
 *
 * @param type machine-readable snake_case type
 * @param message a sentence for people
 * @param field the offending field, or null when the request as a whole is wrong
 */
public record RequestViolation(String type, String message, String field) {
}
