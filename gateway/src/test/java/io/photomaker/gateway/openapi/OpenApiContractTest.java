package io.photomaker.gateway.openapi;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.photomaker.common.job.JobDefaults;
import io.photomaker.common.job.JobIds;
import io.photomaker.common.job.JobRequestValidator;
import io.photomaker.gateway.server.OperationTable;
import io.photomaker.gateway.server.RouteTable;
import io.photomaker.gateway.submit.PromptChecks;
import io.photomaker.gateway.submit.RequestParser;
import io.photomaker.gateway.support.ApiClient;
import io.photomaker.gateway.support.TestGateway;
import io.photomaker.gateway.support.TestImages;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keeps openapi.json true: the router serves exactly its operations, and its examples are valid requests. */
class OpenApiContractTest {
    static final String TENANT = TestGateway.tenant("doc");
    static final String KEY = TestGateway.keyOf(TENANT);
    static TestGateway gw;
    static ApiClient api;
    static JsonNode doc;
    static OpenAPIContract contract;
    static String jobId;

    @BeforeAll
    static void start() throws Exception {
        gw = TestGateway.start(TestGateway.config(1000, 1000, TENANT));
        api = gw.client();
        doc = new ObjectMapper().readTree(api.get("/openapi.json", null).body());
        contract = ApiContract.load(gw.gateway().vertx()).toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS).contract();
        jobId = api.submit(KEY, TestGateway.GOOD_REQUEST, TestImages.png(64, 64, 101)).json().get("id").asText();
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    @Test
    void the_served_document_is_openapi_3_1_with_the_error_schema() {
        assertEquals("3.1.0", doc.get("openapi").asText());
        JsonNode error = doc.at("/components/schemas/Error");
        assertEquals("[\"type\",\"message\"]", error.at("/properties/error/required").toString());
        assertTrue(error.at("/properties/error/properties/field").isObject());
    }

    @Test
    void every_route_on_the_router_is_documented_and_every_documented_operation_has_a_route() {
        Set<String> routed = new TreeSet<>();
        for (RouteTable.Entry e : gw.gateway().routes().entries()) {
            routed.add(e.method().name() + " " + e.path());
        }
        Set<String> documented = new TreeSet<>();
        Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields();
        while (paths.hasNext()) {
            var p = paths.next();
            p.getValue().fieldNames().forEachRemaining(m -> {
                if (!m.equals("parameters")) {
                    documented.add(m.toUpperCase() + " " + p.getKey().replaceAll("\\{([^}]+)}", ":$1"));
                }
            });
        }
        assertEquals(documented, routed);
        assertTrue(documented.contains("GET /v1/jobs/:id/events"), documented.toString());
    }

    @Test
    void the_gateways_route_table_has_exactly_one_row_per_documented_operation_and_no_other() {
        List<String> rows = gw.gateway().operations().rows().stream().map(OperationTable.Row::operationId)
                .sorted().toList();
        List<String> documented = contract.operations().stream().map(Operation::getOperationId).sorted().toList();
        assertEquals(documented, rows);
    }

    @Test
    void each_row_reads_the_request_body_the_document_defines_and_streamed_bodies_are_checked_by_their_handler() {
        for (Operation op : contract.operations()) {
            OperationTable.Row row = gw.gateway().operations().row(op.getOperationId());
            var body = op.getRequestBody();
            OperationTable.BodyMode expected = body == null ? OperationTable.BodyMode.NONE
                    : body.getContent().containsKey("multipart/form-data") ? OperationTable.BodyMode.STREAM
                    : OperationTable.BodyMode.JSON;
            assertEquals(expected, row.body(), op.getOperationId());
            if (expected == OperationTable.BodyMode.STREAM) {
                assertEquals(OperationTable.Validation.HANDLER, row.validation(), op.getOperationId());
            }
        }
    }

    @Test
    void the_job_id_that_handlers_check_themselves_is_the_one_the_document_defines() {
        assertEquals(doc.at("/components/parameters/JobId/schema/pattern").asText(),
                io.photomaker.common.job.JobIds.JOB_ID_PATTERN);
    }

    @Test
    void every_error_response_in_the_document_uses_the_error_schema() {
        doc.get("paths").forEach(item -> item.fields().forEachRemaining(op -> {
            if (op.getKey().equals("parameters")) {
                return;
            }
            op.getValue().get("responses").fields().forEachRemaining(resp -> {
                if (resp.getKey().startsWith("4") || resp.getKey().startsWith("5")) {
                    JsonNode r = resp.getValue().has("$ref")
                            ? doc.at(resp.getValue().get("$ref").asText().substring(1)) : resp.getValue();
                    assertEquals("#/components/schemas/Error",
                            r.at("/content/application~1json/schema/$ref").asText(), op.getKey() + " " + resp.getKey());
                }
            });
        }));
    }

    @Test
    void every_operation_is_served_by_every_gateway_none_answers_501() {
        for (Operation op : contract.operations()) {
            // A job an hour old that never existed: its event stream answers 404 at once instead of streaming.
            String job = op.getOperationId().equals("streamJobEvents")
                    ? JobIds.jobIdAt(System.currentTimeMillis() - 3_600_000) : jobId;
            String id = op.getOpenAPIPath().contains("identities") ? "idn_00000000000000000000000000" : job;
            String path = op.getOpenAPIPath().replace("{id}", id)
                    .replace("{n}", "0").replace("{delivery_id}", "d1").replace("{asset}", "app.js");
            ApiClient.Response r = api.send(op.getHttpMethod().name(), path, KEY, null, null, Map.of());
            assertNotEquals(501, r.status(), op.getOperationId() + ": " + r);
        }
    }

    @Test
    void the_json_example_request_matches_its_schema_and_is_accepted_by_the_gateway() {
        JsonNode example = doc.at("/paths/~1v1~1jobs/post/requestBody/content/application~1json/examples/portrait/value");
        MediaType media = contract.operation("createJob").getRequestBody().getContent().get("application/json");
        OutputUnit result = contract.getSchemaRepository().validator(media.getSchema())
                .validate(new JsonObject(example.toString()));
        assertTrue(result.getValid(), String.valueOf(result.getErrors()));

        ApiClient.Response r = api.postJson("/v1/jobs", KEY, example.toString(), Map.of());
        assertEquals(202, r.status(), r.toString());
    }

    @Test
    void the_multipart_example_request_part_passes_the_gateways_own_checks() {
        String text = doc.at("/paths/~1v1~1jobs/post/requestBody/content/multipart~1form-data/examples/portrait/value/request")
                .asText();
        JsonNode request = RequestParser.tree(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), "the example");
        var parsed = RequestParser.parse(request, Set.of()).withDefaults(1);
        assertTrue(JobRequestValidator.violations(parsed).isEmpty());
        assertDoesNotThrow(() -> PromptChecks.check(parsed, 1));
        assertEquals(202, api.submit(KEY, request.toString(), TestImages.png(64, 64, 102)).status());
    }

    @Test
    void the_documented_request_fields_are_exactly_the_fields_the_gateway_accepts() {
        Set<String> documented = new TreeSet<>();
        doc.at("/components/schemas/JobRequest/properties").fieldNames().forEachRemaining(documented::add);
        Map<String, Object> probe = new HashMap<>();
        for (String field : documented) {
            ApiClient.Response r = api.submit(KEY, "{\"prompt\":\"a man img\",\"" + field + "\":null}",
                    TestImages.png(64, 64, 103));
            assertNotEquals("unknown_field", r.status() == 400 ? r.errorType() : "", field);
            probe.put(field, r.status());
        }
        ApiClient.Response unknown = api.submit(KEY, "{\"prompt\":\"a man img\",\"colour\":1}", TestImages.png(64, 64, 104));
        assertEquals("unknown_field", unknown.errorType());
        assertEquals(io.photomaker.common.job.JobRequest.class.getRecordComponents().length, probe.size());
    }

    @Test
    void the_documented_defaults_are_the_ones_jobs_get() {
        for (String schema : new String[] {"JobRequest", "JobSubmissionJson"}) {
            JsonNode properties = doc.at("/components/schemas/" + schema + "/properties");
            JobDefaults.byField().forEach((field, value) -> {
                JsonNode documented = properties.path(field).path("default");
                if (field.equals("noise_dtype")) {
                    assertTrue(documented.isMissingNode(), "noise_dtype's default depends on noise: described in words");
                } else {
                    assertEquals(String.valueOf(value), documented.asText(), schema + "." + field);
                }
            });
            assertEquals(JobRequestValidator.SIZE_MULTIPLE, properties.path("width").path("multipleOf").asInt());
            assertEquals(JobRequestValidator.SIZE_MULTIPLE, properties.path("height").path("multipleOf").asInt());
        }
        var applied = RequestParser.parse(new ObjectMapper().createObjectNode().put("prompt", "a man img"), Set.of())
                .withDefaults(1);
        assertEquals(JobDefaults.NEGATIVE_PROMPT, applied.negativePrompt());
        assertEquals(JobDefaults.STYLE, applied.style());
        assertEquals(JobDefaults.NUM_OUTPUTS, applied.numOutputs());
        assertEquals(JobDefaults.NOISE_DTYPE_CUDA, applied.noiseDtype());
        assertEquals(JobDefaults.NOISE_DTYPE_CPU, RequestParser.parse(new ObjectMapper().createObjectNode()
                .put("prompt", "a man img").put("noise", "torch_cpu"), Set.of()).withDefaults(1).noiseDtype());
    }
}
