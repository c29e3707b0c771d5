package io.photomaker.common.errors;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every error type the system reports, declared once: the snake_case name clients read in
 * {@code {"error": {"type"}}} and in a failed job's or identity's {@code error.type}, whether trying again may
 * succeed, the HTTP status the gateway answers with (absent for types that only fail jobs), and whether a failed
 * job or identity can carry it. The gateway's error answers, the worker's job failures and the OpenAPI
 * document's enums all read from here; {@code ErrorCatalogTest} holds the document to this list.
 *
 * <p>{@link #retryable()} is the type's usual verdict; a few emitters that know better about one failure say so
 * themselves (an ONNX Runtime run failure is retryable, while the same unexpected pipeline failure twice is not).
 */
public enum ErrorType {
    // the request as a whole
    UNAUTHORIZED("unauthorized", 401, false, false),
    FORBIDDEN("forbidden", 403, false, false),
    NOT_FOUND("not_found", 404, false, false),
    METHOD_NOT_ALLOWED("method_not_allowed", 405, false, false),
    BAD_REQUEST("bad_request", 400, false, false),
    INVALID_JSON("invalid_json", 400, false, false),
    MALFORMED_HTTP("malformed_http", 400, false, false),
    MALFORMED_BODY("malformed_body", 400, false, false),
    MALFORMED_MULTIPART("malformed_multipart", 400, false, false),
    UNKNOWN_PART("unknown_part", 400, false, false),
    DUPLICATE_PART("duplicate_part", 400, false, false),
    INVALID_DATA_URI("invalid_data_uri", 400, false, false),
    TOO_MANY_PARTS("too_many_parts", 400, false, false),
    BODY_TIMEOUT("body_timeout", 408, true, false),
    BODY_TOO_LARGE("body_too_large", 413, false, false),
    URI_TOO_LONG("uri_too_long", 414, false, false),
    UNSUPPORTED_MEDIA_TYPE("unsupported_media_type", 415, false, false),
    EXPECTATION_FAILED("expectation_failed", 417, false, false),
    HEADERS_TOO_LARGE("headers_too_large", 431, false, false),
    NOT_IMPLEMENTED("not_implemented", 501, false, false),

    // one field of the request
    INVALID_REQUEST("invalid_request", 400, false, true),
    INVALID_PARAMETER("invalid_parameter", 400, false, false),
    INVALID_CURSOR("invalid_cursor", 400, false, false),
    INVALID_LAST_EVENT_ID("invalid_last_event_id", 400, false, false),
    INVALID_IDEMPOTENCY_KEY("invalid_idempotency_key", 400, false, false),
    UNKNOWN_FIELD("unknown_field", 400, false, false),
    MISSING_FIELD("missing_field", 400, false, false),
    INVALID_TYPE("invalid_type", 400, false, false),
    OUT_OF_RANGE("out_of_range", 400, false, false),
    INVALID_SIZE("invalid_size", 400, false, false),
    INVALID_NAME("invalid_name", 400, false, false),
    UNKNOWN_SCHEDULER("unknown_scheduler", 400, false, false),
    UNKNOWN_NOISE("unknown_noise", 400, false, false),
    UNKNOWN_NOISE_DTYPE("unknown_noise_dtype", 400, false, false),
    UNSUPPORTED_NOISE_DTYPE("unsupported_noise_dtype", 400, false, false),
    INVALID_OUTPUT_FORMAT("invalid_output_format", 400, false, false),
    INVALID_WEBHOOK("invalid_webhook", 400, false, false),
    INVALID_WEBHOOK_EVENTS("invalid_webhook_events", 400, false, false),
    INVALID_IDENTITY("invalid_identity", 400, false, false),
    UNKNOWN_MODEL("unknown_model", 400, false, false),
    MODEL_NOT_SERVED("model_not_served", 400, false, false),

    // prompt and photos: checked by the gateway before queueing and again by the worker
    NO_ID_IMAGES("no_id_images", 400, false, true),
    TOO_MANY_IMAGES("too_many_images", 400, false, false),
    TRIGGER_WORD_MISSING("trigger_word_missing", 400, false, true),
    TRIGGER_WORD_REPEATED("trigger_word_repeated", 400, false, true),
    TRIGGER_WORD_WITHOUT_CLASS_WORD("trigger_word_without_class_word", 400, false, true),
    TRIGGER_WORD_IN_NEGATIVE_PROMPT("trigger_word_in_negative_prompt", 400, false, true),
    PROMPT_TOO_LONG("prompt_too_long", 400, false, true),
    UNKNOWN_STYLE("unknown_style", 400, false, true),
    UNSUPPORTED_IMAGE_FORMAT("unsupported_image_format", 400, false, true),
    CORRUPT_IMAGE("corrupt_image", 400, false, true),
    IMAGE_TOO_LARGE("image_too_large", 400, false, true),
    IMAGE_TYPE_MISMATCH("image_type_mismatch", 400, false, true),

    // identities
    IDENTITY_NOT_FOUND("identity_not_found", 404, false, true),
    IDENTITY_NOT_READY("identity_not_ready", 409, false, true),
    IDENTITY_MODEL_MISMATCH("identity_model_mismatch", 400, false, true),
    IDENTITY_QUOTA_EXCEEDED("identity_quota_exceeded", 403, false, false),
    IDENTITY_CORRUPT("identity_corrupt", 0, false, true),
    IDENTITY_CHECK_UNAVAILABLE("identity_check_unavailable", 0, false, true),

    // jobs, outputs and webhook deliveries
    IDEMPOTENCY_KEY_IN_USE("idempotency_key_in_use", 409, true, false),
    IDEMPOTENCY_CONFLICT("idempotency_conflict", 409, false, false),
    OUTPUT_NOT_READY("output_not_ready", 404, true, false),
    OUTPUT_DELETED("output_deleted", 410, false, false),
    OUTPUT_EXPIRED("output_expired", 410, false, false),
    DELIVERY_NOT_FOUND("delivery_not_found", 404, false, false),

    // load: come back later
    RATE_LIMITED("rate_limited", 429, true, false),
    QUOTA_EXCEEDED("quota_exceeded", 429, true, false),
    DECODER_BUSY("decoder_busy", 429, true, false),
    BODY_BUDGET_EXHAUSTED("body_budget_exhausted", 429, true, false),
    TOO_MANY_STREAMS("too_many_streams", 429, true, false),
    WORKER_BUSY("worker_busy", 0, true, true),

    // backing services
    QUEUE_UNAVAILABLE("queue_unavailable", 503, true, false),
    STORAGE_UNAVAILABLE("storage_unavailable", 503, true, true),
    STATE_UNAVAILABLE("state_unavailable", 503, true, false),
    NOT_READY("not_ready", 503, true, false),
    UNAVAILABLE("unavailable", 503, true, false),
    TIMEOUT("timeout", 503, true, false),
    INTERNAL_ERROR("internal_error", 500, true, true),

    // the worker's job failures
    INPUT_MISSING("input_missing", 0, false, true),
    RETRIES_EXHAUSTED("retries_exhausted", 0, true, true),
    NO_FACE_DETECTED("no_face_detected", 0, false, true),
    INVALID_ID_EMBEDDING("invalid_id_embedding", 0, false, true),
    UNSUPPORTED_MODEL("unsupported_model", 0, false, true),
    INVALID_MANIFEST("invalid_manifest", 0, false, true),
    MODEL_FILE_MISSING("model_file_missing", 0, false, true),
    MODEL_CHECKSUM_MISMATCH("model_checksum_mismatch", 0, false, true),
    INVALID_EXECUTION_CONFIG("invalid_execution_config", 0, false, true),
    CUDA_UNAVAILABLE("cuda_unavailable", 0, false, true),
    MODEL_LOAD_FAILED("model_load_failed", 0, false, true),
    MODEL_INTERFACE_MISMATCH("model_interface_mismatch", 0, false, true),
    UNSUPPORTED_SHAPE("unsupported_shape", 0, false, true),
    MODEL_RUN_FAILED("model_run_failed", 0, true, true);

    private static final Map<String, ErrorType> BY_WIRE_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(ErrorType::wireName, Function.identity()));

    private final String wireName;
    private final int httpStatus;
    private final boolean retryable;
    private final boolean failsJobs;

    ErrorType(String wireName, int httpStatus, boolean retryable, boolean failsJobs) {
        this.wireName = wireName;
        this.httpStatus = httpStatus;
        this.retryable = retryable;
        this.failsJobs = failsJobs;
    }

    /** The snake_case name on the wire, e.g. {@code quota_exceeded}. */
    public String wireName() {
        return wireName;
    }

    /** The status the gateway answers with; empty for types that only fail jobs and identities. */
    public OptionalInt httpStatus() {
        return httpStatus == 0 ? OptionalInt.empty() : OptionalInt.of(httpStatus);
    }

    /** Whether the same request or job may succeed when tried again. */
    public boolean retryable() {
        return retryable;
    }

    /** Whether a failed job's or identity's {@code error.type} can be this type. */
    public boolean failsJobs() {
        return failsJobs;
    }

    /** The type spelled {@code wireName}, if the catalog has one. */
    public static Optional<ErrorType> ofWireName(String wireName) {
        return Optional.ofNullable(BY_WIRE_NAME.get(wireName));
    }

    @Override
    public String toString() {
        return wireName;
    }
}
