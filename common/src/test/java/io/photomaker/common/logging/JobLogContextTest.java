package io.photomaker.common.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class JobLogContextTest {
    @AfterEach
    void clear() {
        MDC.clear();
    }

    @Test
    void log_lines_inside_carry_the_job_and_nothing_is_left_behind() {
        try (JobLogContext ignored = JobLogContext.open("j_1", "acme")) {
            assertEquals("j_1", MDC.get(JobLogContext.JOB_ID));
            assertEquals("acme", MDC.get(JobLogContext.TENANT));
            assertNull(MDC.get(JobLogContext.TRACE_ID));
        }
        assertNull(MDC.get(JobLogContext.JOB_ID));
        assertNull(MDC.get(JobLogContext.TENANT));
    }

    @Test
    void a_nested_job_context_gives_back_the_outer_one() {
        SpanContext span = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331",
                TraceFlags.getSampled(), TraceState.getDefault());
        try (JobLogContext outer = JobLogContext.open("j_outer", "acme", span)) {
            try (JobLogContext inner = JobLogContext.open("j_inner", "globex")) {
                assertEquals("j_inner", MDC.get(JobLogContext.JOB_ID));
                assertNull(MDC.get(JobLogContext.TRACE_ID), "the inner job has no trace of its own");
            }
            assertEquals("j_outer", MDC.get(JobLogContext.JOB_ID));
            assertEquals("acme", MDC.get(JobLogContext.TENANT));
            assertEquals("0af7651916cd43dd8448eb211c80319c", MDC.get(JobLogContext.TRACE_ID));
        }
    }

    @Test
    void an_invalid_span_adds_no_trace_id() {
        try (JobLogContext ignored = JobLogContext.open("j_2", "acme", SpanContext.getInvalid())) {
            assertNull(MDC.get(JobLogContext.TRACE_ID));
        }
    }
}
