package io.photomaker.gateway.server;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The route table: every operation of openapi.json, by operation id, with its handler, how its request body is
 * read and who validates the request. The router ({@link ApiRouter}) mounts the handlers and turns the OpenAPI
 * validator on or off from it; the body reader ({@link BodyReader}) reads from it which bodies it must leave to
 * their handlers. {@link #bind} refuses a table that does not name exactly the document's operations.
 */
public final class OperationTable {
    /** How an operation's request body reaches its handler. */
    public enum BodyMode {
        /** No body is defined; anything sent is read under the control-body limit and ignored. */
        NONE,
        /** A small JSON body, read whole by the body reader before the OpenAPI validator checks it. */
        JSON,
        /** Photos in a multipart or JSON body, streamed by the handler itself under the submission limits. */
        STREAM
    }

    /** Who checks an operation's request against the document. */
    public enum Validation {
        /** The OpenAPI validator checks path, query and body before the handler runs. */
        OPENAPI,
        /** The handler checks the request itself (the validator cannot see a streamed body). */
        HANDLER
    }

    /** One operation: its id in openapi.json, its body mode, who validates it and what serves it. */
    public record Row(String operationId, BodyMode body, Validation validation, Handler<RoutingContext> handler) {
        public Row {
            if (body == BodyMode.STREAM && validation != Validation.HANDLER) {
                throw new IllegalArgumentException(operationId + ": a streamed body can only be validated by its"
                        + " handler");
            }
        }
    }

    /** A row placed at its method and path, for finding the operation a request is for. */
    private record Placed(HttpMethod method, Pattern path, Row row) {
    }

    private final Map<String, Row> rows = new LinkedHashMap<>();
    private volatile List<Placed> placed = List.of();

    /** Adds the row of {@code operationId}; an operation has exactly one. */
    public OperationTable add(String operationId, BodyMode body, Validation validation,
                              Handler<RoutingContext> handler) {
        if (rows.putIfAbsent(operationId, new Row(operationId, body, validation, handler)) != null) {
            throw new IllegalStateException("operation " + operationId + " already has a row");
        }
        return this;
    }

    /** The row of {@code operationId}, or null. */
    public Row row(String operationId) {
        return rows.get(operationId);
    }

    public Collection<Row> rows() {
        return List.copyOf(rows.values());
    }

    /**
     * Places every row at its operation's method and path in {@code contract}; fails naming the operations that
     * have no row and the rows that name no operation.
     */
    public OperationTable bind(OpenAPIContract contract) {
        Set<String> documented = new TreeSet<>();
        List<Placed> found = new ArrayList<>();
        for (Operation op : contract.operations()) {
            documented.add(op.getOperationId());
            Row row = rows.get(op.getOperationId());
            if (row != null) {
                found.add(new Placed(op.getHttpMethod(), pattern(op.getOpenAPIPath()), row));
            }
        }
        Set<String> missing = new TreeSet<>(documented);
        missing.removeAll(rows.keySet());
        Set<String> unknown = new TreeSet<>(rows.keySet());
        unknown.removeAll(documented);
        if (!missing.isEmpty() || !unknown.isEmpty()) {
            throw new IllegalStateException("the route table and openapi.json disagree: operations without a row "
                    + missing + ", rows without an operation " + unknown);
        }
        placed = List.copyOf(found);
        return this;
    }

    /** The body mode of the operation {@code method} {@code path} is for; NONE when it is for none. */
    public BodyMode bodyMode(HttpMethod method, String path) {
        for (Placed p : placed) {
            if (p.method.equals(method) && p.path.matcher(path).matches()) {
                return p.row.body();
            }
        }
        return BodyMode.NONE;
    }

    /** {@code /v1/jobs/{id}} as a pattern matching {@code /v1/jobs/<one segment>}. */
    static Pattern pattern(String openApiPath) {
        StringBuilder regex = new StringBuilder();
        for (String part : openApiPath.split("(?=\\{)|(?<=})")) {
            regex.append(part.startsWith("{") ? "[^/]+" : Pattern.quote(part));
        }
        return Pattern.compile(regex.toString());
    }
}
