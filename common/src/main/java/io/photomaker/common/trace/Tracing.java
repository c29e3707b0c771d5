package io.photomaker.common.trace;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.photomaker.common.config.CommonSettings;
import io.photomaker.common.config.ConfigException;
import io.photomaker.common.config.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One process's tracing: a tracer for its spans and W3C trace-context propagation through Kafka record
 * headers ({@code traceparent}, {@code tracestate}). Built from PM_OTLP_ENDPOINT: empty means tracing is
 * off (a no-op tracer, no exporter, no threads); set means spans go in batches to that OTLP/HTTP
 * collector under the service name PM_SERVICE_NAME (or the role's default). Each process (or each
 * service started in one JVM) holds its own instance; nothing is registered globally.
 */
public final class Tracing implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Tracing.class);
    private static final String INSTRUMENTATION = "io.photomaker";
    private static final String TRACES_PATH = "/v1/traces";
    private static final AttributeKey<String> SERVICE_NAME = AttributeKey.stringKey("service.name");
    private static final Tracing OFF = new Tracing(OpenTelemetry.noop(), null, "");

    private final OpenTelemetry otel;
    private final OpenTelemetrySdk sdk;
    private final Tracer tracer;
    private final TextMapPropagator propagator;
    private final String serviceName;

    private Tracing(OpenTelemetry otel, OpenTelemetrySdk sdk, String serviceName) {
        this.otel = otel;
        this.sdk = sdk;
        this.tracer = otel.getTracer(INSTRUMENTATION);
        this.propagator = otel.getPropagators().getTextMapPropagator();
        this.serviceName = serviceName;
    }

    /** Tracing switched off: spans are no-ops and nothing is injected into headers. */
    public static Tracing off() {
        return OFF;
    }

    /**
     * Tracing as the settings ask: off when PM_OTLP_ENDPOINT is empty, else OTLP/HTTP batches to it.
     *
     * @param defaultServiceName the role's name when PM_SERVICE_NAME is not set
     */
    public static Tracing fromSettings(Settings settings, String defaultServiceName) {
        var endpoint = settings.optional(CommonSettings.OTLP_ENDPOINT);
        if (endpoint.isEmpty()) {
            return off();
        }
        String url = tracesUrl(endpoint.get());
        String serviceName = settings.string(CommonSettings.SERVICE_NAME, defaultServiceName);
        URI shown = URI.create(url);
        LOG.info("tracing on: spans of {} go to {}://{}:{}{}", serviceName, shown.getScheme(), shown.getHost(),
                shown.getPort(), shown.getPath());
        OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
                .setEndpoint(url)
                .setTimeout(Duration.ofSeconds(10))
                .build();
        SpanProcessor batches = BatchSpanProcessor.builder(exporter)
                .setScheduleDelay(Duration.ofSeconds(2))
                .build();
        return exportingTo(batches, serviceName);
    }

    /** Tracing whose finished spans go to {@code processor} (tests pass an in-memory exporter's). */
    public static Tracing exportingTo(SpanProcessor processor, String serviceName) {
        Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(SERVICE_NAME, serviceName)));
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(resource)
                .addSpanProcessor(processor)
                .build();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(provider)
                .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
                .build();
        return new Tracing(sdk, sdk, serviceName);
    }

    /**
     * The OTLP/HTTP traces URL for a configured endpoint: a collector base such as
     * {@code http://collector:4318} gets {@value #TRACES_PATH} appended; a full traces URL is kept.
     */
    static String tracesUrl(String endpoint) {
        URI uri;
        try {
            uri = URI.create(endpoint.trim());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(CommonSettings.OTLP_ENDPOINT.name() + "=" + endpoint + " is not a URL");
        }
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
            throw new ConfigException(CommonSettings.OTLP_ENDPOINT.name() + "=" + endpoint
                    + " must be an http(s) URL of an OTLP/HTTP collector, e.g. http://otel-collector:4318");
        }
        String s = uri.toString();
        if (s.endsWith(TRACES_PATH)) {
            return s;
        }
        return (s.endsWith("/") ? s.substring(0, s.length() - 1) : s) + TRACES_PATH;
    }

    /** Whether spans are recorded and exported. */
    public boolean enabled() {
        return sdk != null;
    }

    public String serviceName() {
        return serviceName;
    }

    public Tracer tracer() {
        return tracer;
    }

    public OpenTelemetry openTelemetry() {
        return otel;
    }

    /** Writes {@code context}'s span (trace-context headers) into {@code headers}, replacing earlier ones. */
    public void inject(Context context, Headers headers) {
        propagator.inject(context, headers, KafkaHeaderCarrier.INSTANCE);
    }

    /** Fresh record headers carrying {@code context}'s span; empty when tracing is off. */
    public RecordHeaders headers(Context context) {
        RecordHeaders h = new RecordHeaders();
        inject(context, h);
        return h;
    }

    /** The remote parent carried by {@code headers}, on top of the root context; root when none. */
    public Context extract(Headers headers) {
        return propagator.extract(Context.root(), headers, KafkaHeaderCarrier.INSTANCE);
    }

    /** Exports what is still buffered and stops the exporter (a no-op when tracing is off). */
    @Override
    public void close() {
        if (sdk != null) {
            sdk.getSdkTracerProvider().shutdown().join(10, TimeUnit.SECONDS);
        }
    }
}
