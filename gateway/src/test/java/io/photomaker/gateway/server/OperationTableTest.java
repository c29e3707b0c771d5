package io.photomaker.gateway.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.gateway.openapi.ApiContract;
import io.photomaker.gateway.server.OperationTable.BodyMode;
import io.photomaker.gateway.server.OperationTable.Validation;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The route table against the real openapi.json: one row per operation, placed at the document's paths. */
class OperationTableTest {
    static final Handler<RoutingContext> NOTHING = ctx -> { };
    static Vertx vertx;
    static OpenAPIContract contract;

    @BeforeAll
    static void load() throws Exception {
        vertx = Vertx.vertx();
        contract = ApiContract.load(vertx).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS)
                .contract();
    }

    @AfterAll
    static void close() {
        vertx.close();
    }

    /** A row for every documented operation: streamed where the document takes photos, plain otherwise. */
    static OperationTable complete() {
        OperationTable table = new OperationTable();
        for (Operation op : contract.operations()) {
            boolean photos = op.getRequestBody() != null;
            table.add(op.getOperationId(), photos ? BodyMode.STREAM : BodyMode.NONE,
                    photos ? Validation.HANDLER : Validation.OPENAPI, NOTHING);
        }
        return table;
    }

    @Test
    void a_table_with_a_row_for_each_operation_binds() {
        OperationTable table = complete().bind(contract);
        assertEquals(contract.operations().size(), table.rows().size());
    }

    @Test
    void a_table_missing_an_operation_is_refused_naming_it() {
        OperationTable table = new OperationTable();
        contract.operations().stream().filter(op -> !op.getOperationId().equals("getJob"))
                .forEach(op -> table.add(op.getOperationId(), BodyMode.NONE, Validation.HANDLER, NOTHING));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> table.bind(contract));
        assertTrue(e.getMessage().contains("[getJob]"), e.getMessage());
    }

    @Test
    void a_row_for_an_operation_the_document_lacks_is_refused_naming_it() {
        OperationTable table = complete().add("launchRocket", BodyMode.NONE, Validation.OPENAPI, NOTHING);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> table.bind(contract));
        assertTrue(e.getMessage().contains("[launchRocket]"), e.getMessage());
    }

    @Test
    void an_operation_gets_one_row_only() {
        OperationTable table = new OperationTable().add("getJob", BodyMode.NONE, Validation.OPENAPI, NOTHING);
        assertThrows(IllegalStateException.class,
                () -> table.add("getJob", BodyMode.NONE, Validation.OPENAPI, NOTHING));
    }

    @Test
    void a_streamed_body_cannot_be_left_to_the_openapi_validator() {
        assertThrows(IllegalArgumentException.class,
                () -> new OperationTable().add("createJob", BodyMode.STREAM, Validation.OPENAPI, NOTHING));
    }

    @Test
    void the_body_mode_is_found_by_method_and_path_with_parameters_filled_in() {
        OperationTable table = complete().bind(contract);
        assertEquals(BodyMode.STREAM, table.bodyMode(HttpMethod.POST, "/v1/jobs"));
        assertEquals(BodyMode.STREAM, table.bodyMode(HttpMethod.POST, "/v1/identities"));
        assertEquals(BodyMode.NONE, table.bodyMode(HttpMethod.GET, "/v1/jobs"));
        assertEquals(BodyMode.NONE, table.bodyMode(HttpMethod.POST, "/v1/jobs/job_1/cancel"));
        assertEquals(BodyMode.NONE, table.bodyMode(HttpMethod.POST, "/v1/jobs/job_1/extra"));
        assertEquals(BodyMode.NONE, table.bodyMode(HttpMethod.POST, "/v1/jobs/"));
    }

    @Test
    void path_patterns_match_one_segment_per_parameter_and_quote_the_rest() {
        assertTrue(OperationTable.pattern("/v1/jobs/{id}/outputs/{n}").matcher("/v1/jobs/a/outputs/0").matches());
        assertFalse(OperationTable.pattern("/v1/jobs/{id}").matcher("/v1/jobs/a/b").matches());
        assertFalse(OperationTable.pattern("/openapi.json").matcher("/openapiXjson").matches());
    }
}
