package io.photomaker.common.trace;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.photomaker.common.config.ConfigException;
import io.photomaker.common.config.Settings;
import io.photomaker.common.kafka.KafkaHeaders;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TracingTest {
    private static final String BATCH_THREAD = "BatchSpanProcessor";

    @Test
    void without_an_endpoint_tracing_is_off_and_starts_no_exporter_thread() {
        int before = threadsNamed(BATCH_THREAD);
        Tracing t = Tracing.fromSettings(Settings.of(Map.of()), "photomaker-worker");
        assertFalse(t.enabled());
        Span span = t.tracer().spanBuilder("job.run").startSpan();
        RecordHeaders h = t.headers(Context.current().with(span));
        span.end();
        assertFalse(h.iterator().hasNext(), "no trace headers when tracing is off");
        assertEquals(before, threadsNamed(BATCH_THREAD));
        t.close();
    }

    @Test
    void a_span_context_survives_a_trip_through_kafka_headers() {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        try (Tracing t = Tracing.exportingTo(SimpleSpanProcessor.create(spans), "photomaker-gateway")) {
            Span span = t.tracer().spanBuilder("job.submit").startSpan();
            RecordHeaders h = new RecordHeaders();
            h.add(KafkaHeaders.NOT_BEFORE, "0".getBytes(StandardCharsets.UTF_8));
            t.inject(Context.root().with(span), h);
            t.inject(Context.root().with(span), h);
            span.end();

            assertEquals(1, count(h, KafkaHeaders.TRACEPARENT), "injecting twice leaves one traceparent");
            assertEquals(1, count(h, KafkaHeaders.NOT_BEFORE), "other headers stay");
            SpanContext remote = Span.fromContext(t.extract(h)).getSpanContext();
            assertTrue(remote.isRemote());
            assertEquals(span.getSpanContext().getTraceId(), remote.getTraceId());
            assertEquals(span.getSpanContext().getSpanId(), remote.getSpanId());
            assertEquals("photomaker-gateway", spans.getFinishedSpanItems().get(0).getResource()
                    .getAttribute(io.opentelemetry.api.common.AttributeKey.stringKey("service.name")));
        }
    }

    @Test
    void headers_without_trace_context_extract_to_no_parent() {
        try (Tracing t = Tracing.exportingTo(SimpleSpanProcessor.create(InMemorySpanExporter.create()), "x")) {
            assertFalse(Span.fromContext(t.extract(new RecordHeaders())).getSpanContext().isValid());
        }
    }

    @Test
    void with_an_endpoint_spans_are_posted_to_the_collector_over_otlp_http() throws Exception {
        BlockingQueue<String[]> posts = new LinkedBlockingQueue<>();
        HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 4);
        collector.createContext("/", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            posts.add(new String[]{ex.getRequestMethod() + " " + ex.getRequestURI().getPath(),
                    ex.getRequestHeaders().getFirst("Content-Type"), new String(body, StandardCharsets.ISO_8859_1)});
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        collector.start();
        try {
            String endpoint = "http://127.0.0.1:" + collector.getAddress().getPort();
            Tracing t = Tracing.fromSettings(Settings.of(Map.of("PM_OTLP_ENDPOINT", endpoint,
                    "PM_SERVICE_NAME", "photomaker-worker-eu")), "photomaker-worker");
            assertTrue(t.enabled());
            assertTrue(threadsNamed(BATCH_THREAD) > 0, "the batch exporter runs a thread");
            t.tracer().spanBuilder("job.run").startSpan().end();
            t.close();
            String[] post = posts.poll(20, TimeUnit.SECONDS);
            assertEquals("POST /v1/traces", post[0]);
            assertEquals("application/x-protobuf", post[1]);
            assertTrue(post[2].contains("job.run"), "the span name is in the export");
            assertTrue(post[2].contains("photomaker-worker-eu"), "the service name is in the export");
        } finally {
            collector.stop(0);
        }
    }

    @Test
    void the_endpoint_is_a_collector_base_or_a_traces_url() {
        assertEquals("http://otel:4318/v1/traces", Tracing.tracesUrl("http://otel:4318"));
        assertEquals("http://otel:4318/v1/traces", Tracing.tracesUrl("http://otel:4318/"));
        assertEquals("https://otel.example/v1/traces", Tracing.tracesUrl("https://otel.example/v1/traces"));
        assertThrows(ConfigException.class, () -> Tracing.tracesUrl("otel:4317"));
        assertThrows(ConfigException.class, () -> Tracing.tracesUrl("grpc://otel:4317"));
    }

    @Test
    void an_unusable_endpoint_is_refused_at_start() {
        ConfigException e = assertThrows(ConfigException.class, () -> Tracing.fromSettings(
                Settings.of(Map.of("PM_OTLP_ENDPOINT", "not a url")), "photomaker-gateway"));
        assertTrue(e.getMessage().contains("PM_OTLP_ENDPOINT"));
    }

    private static int count(RecordHeaders h, String key) {
        int n = 0;
        for (Header x : h) {
            n += x.key().equals(key) ? 1 : 0;
        }
        return n;
    }

    private static int threadsNamed(String part) {
        List<String> names = new ArrayList<>();
        Thread.getAllStackTraces().keySet().forEach(t -> {
            if (t.isAlive()) {
                names.add(t.getName());
            }
        });
        return (int) names.stream().filter(n -> n.contains(part)).count();
    }
}
