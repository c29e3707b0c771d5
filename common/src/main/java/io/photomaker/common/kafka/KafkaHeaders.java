package io.photomaker.common.kafka;

/**
 * The names of the Kafka record headers the system writes and reads, declared once. Record values carry the
 * data; headers carry what the consumers need before they decode it.
 */
public final class KafkaHeaders {
    /**
     * On a job retried with back-off: epoch milliseconds before which the worker must not start it (decimal
     * ASCII). The worker sets the record aside until then and goes on with others.
     */
    public static final String NOT_BEFORE = "pm-not-before";
    /** On a dead letter: the last failure as JSON ({@code {type, message, retryable}}). */
    public static final String FAILURE = "pm-failure";
    /** On a dead letter: which kind of work it is, when not a job ({@link #WORK_IDENTITY}). */
    public static final String WORK = "pm-work";
    /** The {@link #WORK} value of an identity computation's dead letter. */
    public static final String WORK_IDENTITY = "identity";
    /** W3C trace context, written and read by the tracing propagator, never by hand. */
    public static final String TRACEPARENT = "traceparent";

    private KafkaHeaders() {
    }
}
