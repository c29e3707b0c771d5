package io.photomaker.devtools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.photomaker.cli.ApiClient;
import io.photomaker.common.json.Json;
import io.photomaker.common.trace.Tracing;
import io.photomaker.testkit.Await;
import io.photomaker.testkit.fixtures.SamplePortraits;
import io.photomaker.testkit.infra.EmbeddedS3;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Traces, JSON logs and metrics of a whole system in one JVM (embedded Kafka and S3, a gateway with an
 * API key, one worker on the tiny models): each test runs a real job and reads what operators would see.
 */
class ObservabilityTest {
    private static final String TENANT = "acme";
    private static final String API_KEY = "acme-live-key-0123456789abcdef";
    private static final String WEBHOOK_KEY = java.util.Base64.getEncoder()
            .encodeToString("observability-webhook-signing-key".getBytes(java.nio.charset.StandardCharsets.UTF_8));
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final int STEPS = 4;
    private static final int OUTPUTS = 2;

    private static final InMemorySpanExporter SPANS = InMemorySpanExporter.create();
    private static JsonLogCapture logs;
    private static Tracing gatewayTracing;
    private static Tracing workerTracing;
    private static EmbeddedStack stack;
    private static ApiClient api;
    private static HttpServer receiver;

    @BeforeAll
    static void start() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        receiver.createContext("/hooks", ex -> {
            ex.getRequestBody().readAllBytes();
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
        logs = JsonLogCapture.start();
        gatewayTracing = Tracing.exportingTo(SimpleSpanProcessor.create(SPANS), "photomaker-gateway");
        workerTracing = Tracing.exportingTo(SimpleSpanProcessor.create(SPANS), "photomaker-worker");
        stack = EmbeddedStack.start(0, 1, null, Map.of(
                "PM_DEV_MODE", "false",
                "PM_API_KEYS", TENANT + ":" + API_KEY,
                "PM_WEBHOOK_SIGNING_KEY", WEBHOOK_KEY,
                "PM_METRICS_PORT", "0",
                "PM_METRICS_HOST", "127.0.0.1",
                "PM_EXECUTION_PROVIDER", "cpu"), gatewayTracing, workerTracing);
        api = new ApiClient(URI.create(stack.url() + "/"), API_KEY);
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
        if (gatewayTracing != null) {
            gatewayTracing.close();
            workerTracing.close();
        }
        logs.close();
        if (receiver != null) {
            receiver.stop(0);
        }
    }

    @Test
    void a_job_is_one_trace_from_the_gateway_through_the_worker() throws Exception {
        String id = runJob("a photo of a woman img in a garden");
        Predicate<SpanData> ofJob = s -> id.equals(s.getAttributes().get(AttributeKey.stringKey("job.id")));
        List<SpanData> jobSpans = Await.value("the worker's job.run span", WAIT, () -> {
            List<SpanData> found = SPANS.getFinishedSpanItems().stream().filter(ofJob).toList();
            return found.stream().anyMatch(s -> s.getName().equals("job.run")) ? found : null;
        });
        SpanData submit = one(jobSpans, "job.submit");
        SpanData wait = one(jobSpans, "job.queue_wait");
        SpanData run = one(jobSpans, "job.run");
        String traceId = submit.getTraceId();
        assertEquals(Set.of(traceId), jobSpans.stream().map(SpanData::getTraceId).collect(Collectors.toSet()),
                "gateway and worker spans of the job share one trace");

        List<SpanData> trace = SPANS.getFinishedSpanItems().stream().filter(s -> s.getTraceId().equals(traceId))
                .toList();
        assertEquals(Set.of("job.submit", "job.queue_wait", "job.run", "download_inputs", "encode_id", "denoise",
                "decode_upload"), trace.stream().map(SpanData::getName).collect(Collectors.toSet()));
        assertFalse(SpanId.isValid(submit.getParentSpanId()), "the submission starts the trace");
        assertEquals(submit.getSpanId(), wait.getParentSpanId());
        assertEquals(submit.getSpanId(), run.getParentSpanId());
        for (SpanData s : trace) {
            if (!s.getName().startsWith("job.")) {
                assertEquals(run.getSpanId(), s.getParentSpanId(), s.getName() + " is a phase of job.run");
            }
        }
        assertEquals("photomaker-gateway", serviceOf(submit));
        assertEquals("photomaker-worker", serviceOf(run));
        assertEquals(TENANT, submit.getAttributes().get(AttributeKey.stringKey("tenant")));
        assertEquals("succeeded", run.getAttributes().get(AttributeKey.stringKey("job.outcome")));
        assertTrue(wait.getStartEpochNanos() <= submit.getStartEpochNanos(), "waiting starts at submission");
        assertTrue(wait.getEndEpochNanos() <= run.getStartEpochNanos(), "waiting ends at pickup");
        assertFalse(trace.toString().contains(API_KEY), "no credentials in span data");

        Map<String, String> parents = EventHeaders.traceparents(stack.settings().get("PM_KAFKA_BOOTSTRAP"), id);
        assertEquals(submit.getSpanId(), parents.get("submitted"), "the submitted event carries job.submit");
        assertEquals(run.getSpanId(), parents.get("started"), "status events carry job.run");
        assertEquals(run.getSpanId(), parents.get("succeeded"), "status events carry job.run");
    }

    @Test
    void every_json_log_line_about_a_job_names_the_job_and_tenant_and_none_holds_a_secret() throws Exception {
        String id = runJob("a photo of a man img on a boat");
        Await.until("the worker's success line", WAIT, () -> logs.records().stream()
                .anyMatch(r -> r.path("formattedMessage").asText().contains(id + " attempt 1 succeeded")));
        List<JsonNode> aboutJob = logs.records().stream()
                .filter(r -> r.path("formattedMessage").asText().contains(id)).toList();
        Set<String> loggers = aboutJob.stream().map(r -> r.path("loggerName").asText()).collect(Collectors.toSet());
        assertTrue(loggers.stream().anyMatch(l -> l.endsWith("JobSubmitter")), "the gateway logs the job: " + loggers);
        assertTrue(loggers.stream().anyMatch(l -> l.endsWith("JobAttemptRunner")), "the worker logs the job: " + loggers);
        for (JsonNode r : aboutJob) {
            assertEquals(id, r.path("mdc").path("job_id").asText(), "job_id of " + r);
            assertEquals(TENANT, r.path("mdc").path("tenant").asText(), "tenant of " + r);
            assertEquals(32, r.path("mdc").path("trace_id").asText().length(), "trace_id of " + r);
        }
        for (String line : logs.lines()) {
            assertFalse(line.contains(API_KEY), "API key in a log line: " + line);
            assertFalse(line.contains(EmbeddedS3.SECRET_KEY), "S3 secret in a log line: " + line);
            assertFalse(line.contains(WEBHOOK_KEY), "webhook signing key in a log line: " + line);
            assertTrue(line.length() < 8192, "an oversized log line (photo bytes?): " + line.length() + " chars");
        }
    }

    @Test
    void gateway_and_worker_metrics_move_with_a_job() throws Exception {
        PrometheusText gwBefore = scrape(stack.managementUrl() + "/metrics");
        PrometheusText wBefore = scrape(workerMetricsUrl());
        runJob("a photo of a girl img with a hat");
        Map<String, String> succeeded = Map.of("outcome", "succeeded");
        PrometheusText w = Await.value("the worker to count the job", WAIT, () -> {
            PrometheusText now = scrape(workerMetricsUrl());
            return now.sum("photomaker_jobs_completed_total", succeeded)
                    > wBefore.sum("photomaker_jobs_completed_total", succeeded) ? now : null;
        });
        Map<String, String> delivered = Map.of("outcome", "success");
        PrometheusText gw = Await.value("the gateway to count the webhook", WAIT, () -> {
            PrometheusText now = scrape(stack.managementUrl() + "/metrics");
            return now.sum("photomaker_webhook_deliveries_total", delivered)
                    > gwBefore.sum("photomaker_webhook_deliveries_total", delivered) ? now : null;
        });

        assertEquals(1, gw.sum("photomaker_jobs_submitted_total") - gwBefore.sum("photomaker_jobs_submitted_total"));
        Map<String, String> accepted = Map.of("method", "POST", "status", "202");
        assertTrue(gw.sum("http_server_requests_seconds_count", accepted)
                > gwBefore.sum("http_server_requests_seconds_count", accepted), "the submission is timed");
        assertEquals(1, w.sum("photomaker_jobs_completed_total", succeeded)
                - wBefore.sum("photomaker_jobs_completed_total", succeeded));
        assertEquals(1, w.sum("photomaker_job_run_seconds_count") - wBefore.sum("photomaker_job_run_seconds_count"));
        assertEquals(1, w.sum("photomaker_job_wait_seconds_count") - wBefore.sum("photomaker_job_wait_seconds_count"));
        assertEquals(STEPS * OUTPUTS, w.sum("photomaker_step_seconds_count") - wBefore.sum("photomaker_step_seconds_count"));
        assertTrue(w.sum("photomaker_model_load_seconds") > 0, "model load time is reported");
        assertEquals(1, w.sum("photomaker_execution_provider", Map.of("provider", "cpu")));
        assertTrue(w.has("photomaker_consumer_lag"), "consumer lag is reported");
        assertTrue(w.has("photomaker_jobs_running"), "running jobs are reported");
    }

    private String runJob(String prompt) throws Exception {
        ObjectNode req = Json.mapper().createObjectNode();
        req.put("prompt", prompt);
        req.put("num_steps", STEPS);
        req.put("width", 64);
        req.put("height", 64);
        req.put("num_outputs", OUTPUTS);
        req.put("seed", 11);
        req.put("webhook", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks");
        ApiClient.Reply r = api.submitPhotos(Json.string(req), List.of(
                new ApiClient.Photo("a.jpg", SamplePortraits.jpeg(1, 96, 112)),
                new ApiClient.Photo("b.png", SamplePortraits.png(2, 96, 112))));
        assertEquals(202, r.status(), r.errorText());
        String id = r.body().path("id").asText();
        JsonNode done = Await.value("job " + id + " to finish", WAIT, () -> {
            try {
                JsonNode job = api.get("v1/jobs/" + id).body();
                String status = job == null ? "" : job.path("status").asText();
                return Set.of("succeeded", "failed", "canceled", "expired").contains(status) ? job : null;
            } catch (Exception e) {
                return null;
            }
        });
        assertEquals("succeeded", done.path("status").asText(), done.toString());
        return id;
    }

    private static SpanData one(List<SpanData> spans, String name) {
        List<SpanData> named = spans.stream().filter(s -> s.getName().equals(name)).toList();
        assertEquals(1, named.size(), "spans named " + name + ": " + named);
        return named.get(0);
    }

    private static String serviceOf(SpanData s) {
        return s.getResource().getAttribute(AttributeKey.stringKey("service.name"));
    }

    private static String workerMetricsUrl() {
        return "http://127.0.0.1:" + stack.workers().get(0).healthPort() + "/metrics";
    }

    private static PrometheusText scrape(String url) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode(), url);
            return new PrometheusText(r.body());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
