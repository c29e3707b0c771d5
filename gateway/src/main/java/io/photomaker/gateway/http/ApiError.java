package io.photomaker.gateway.http;

import io.photomaker.common.errors.ErrorType;

/**
 * A request that cannot be served, with the HTTP status and the machine-readable type the client sees.
 * Handlers throw it or fail the routing context with it; one failure handler renders every instance as
 * {@code {"error": {"type", "message", "field"?}}} (plus {@code Retry-After} when set). The status is the
 * catalogued one of its {@link ErrorType} unless a generic answer names another.
 */
public class ApiError extends RuntimeException {
    private final int status;
    private final ErrorType type;
    private final String field;
    private final Integer retryAfterSeconds;

    public ApiError(int status, ErrorType type, String message, String field, Integer retryAfterSeconds) {
        super(message, null, false, false);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an API error needs a 4xx or 5xx status, got " + status);
        }
        this.status = status;
        this.type = type;
        this.field = field;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public ApiError(ErrorType type, String message, String field, Integer retryAfterSeconds) {
        this(statusOf(type), type, message, field, retryAfterSeconds);
    }

    public ApiError(ErrorType type, String message, String field) {
        this(type, message, field, null);
    }

    public ApiError(ErrorType type, String message) {
        this(type, message, null);
    }

    /** An answer with a status other than the catalogued one, for generic failures of any status. */
    public ApiError(int status, ErrorType type, String message) {
        this(status, type, message, null, null);
    }

    public static ApiError notFound(String what) {
        return new ApiError(ErrorType.NOT_FOUND, what + " was not found");
    }

    /** An answer telling the client to come back after {@code retryAfterSeconds}. */
    public static ApiError retryAfter(ErrorType type, String message, int retryAfterSeconds) {
        return new ApiError(statusOf(type), type, message, null, retryAfterSeconds);
    }

    private static int statusOf(ErrorType type) {
        return type.httpStatus().orElseThrow(() ->
                new IllegalArgumentException(type + " is not answered over HTTP"));
    }

    /** HTTP status code (4xx or 5xx). */
    public int status() {
        return status;
    }

    /** Machine-readable snake_case type, e.g. {@code not_found} or {@code rate_limited}. */
    public String type() {
        return type.wireName();
    }

    /** The catalogued error type. */
    public ErrorType errorType() {
        return type;
    }

    /** The offending request field, or null when the request as a whole is wrong. */
    public String field() {
        return field;
    }

    /** Seconds the client should wait before retrying, or null when not applicable. */
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
