package io.photomaker.common.logging;

import io.opentelemetry.api.trace.SpanContext;
import org.slf4j.MDC;

/**
 * Puts a job's identity into the logging MDC ({@code job_id}, {@code tenant} and, when the job is traced,
 * {@code trace_id}) for the lines logged while it is open, and puts back what was there before on close.
 * Use it with try-with-resources around every log statement about a job, on whatever thread logs it.
 */
public final class JobLogContext implements AutoCloseable {
    public static final String JOB_ID = "job_id";
    public static final String TENANT = "tenant";
    public static final String TRACE_ID = "trace_id";
    private static final String[] KEYS = {JOB_ID, TENANT, TRACE_ID};

    private final String[] previous = new String[KEYS.length];

    private JobLogContext(String jobId, String tenant, String traceId) {
        for (int i = 0; i < KEYS.length; i++) {
            previous[i] = MDC.get(KEYS[i]);
        }
        put(JOB_ID, jobId);
        put(TENANT, tenant);
        put(TRACE_ID, traceId);
    }

    /** Log lines until {@link #close()} carry this job and tenant. */
    public static JobLogContext open(String jobId, String tenant) {
        return new JobLogContext(jobId, tenant, null);
    }

    /** As {@link #open(String, String)}, plus the trace id of {@code span} when it is a real span. */
    public static JobLogContext open(String jobId, String tenant, SpanContext span) {
        return new JobLogContext(jobId, tenant, span != null && span.isValid() ? span.getTraceId() : null);
    }

    private static void put(String key, String value) {
        if (value == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, value);
        }
    }

    @Override
    public void close() {
        for (int i = 0; i < KEYS.length; i++) {
            put(KEYS[i], previous[i]);
        }
    }
}
