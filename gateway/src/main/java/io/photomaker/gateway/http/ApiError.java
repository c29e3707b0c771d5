package io.photomaker.gateway.http;

/**
 * A request that cannot be served, with the HTTP status and the machine-readable type the client sees.
 * Handlers throw it or fail the routing context with it; one failure handler renders every instance as
 * {@code {"error": {"type", "message", "field"?}}} (plus {@code Retry-After} when set).
 */
public class ApiError extends RuntimeException {
    private final int status;
    private final String type;
    private final String field;
    private final Integer retryAfterSeconds;

    public ApiError(int status, String type, String message, String field, Integer retryAfterSeconds) {
        super(message, null, false, false);
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("an API error needs a 4xx or 5xx status, got " + status);
        }
        this.status = status;
        this.type = type;
        this.field = field;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public ApiError(int status, String type, String message, String field) {
        this(status, type, message, field, null);
    }

    public ApiError(int status, String type, String message) {
        this(status, type, message, null, null);
    }

    public static ApiError badRequest(String type, String message, String field) {
        return new ApiError(400, type, message, field);
    }

    public static ApiError notFound(String what) {
        return new ApiError(404, "not_found", what + " was not found");
    }

    public static ApiError unavailable(String type, String message, int retryAfterSeconds) {
        return new ApiError(503, type, message, null, retryAfterSeconds);
    }

    public static ApiError tooMany(String type, String message, int retryAfterSeconds) {
        return new ApiError(429, type, message, null, retryAfterSeconds);
    }

    /** HTTP status code (4xx or 5xx). */
    public int status() {
        return status;
    }

    /** Machine-readable snake_case type, e.g. {@code not_found} or {@code rate_limited}. */
    public String type() {
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
