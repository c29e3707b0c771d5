package io.photomaker.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes JSON answers. Bodies are maps built with the API's snake_case names; null values stay in the
 * output ({@code "started_at": null}) so every documented field is always present.
 */
public final class Responses {
    public static final String JSON = "application/json";
    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private Responses() {
    }

    /** Ends the response with {@code status} and {@code body} serialised as JSON. */
    public static void json(RoutingContext ctx, int status, Object body) {
        HttpServerResponse r = ctx.response();
        if (r.ended() || r.closed()) {
            return;
        }
        r.setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(Buffer.buffer(bytes(body)));
    }

    /** {@code body} as JSON bytes. */
    public static byte[] bytes(Object body) {
        try {
            return MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a response body", e);
        }
    }

    /** The error body {@code {"error": {"type", "message", "field"?}}} for {@code e}. */
    public static Map<String, Object> errorBody(ApiError e) {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("type", e.type());
        inner.put("message", e.getMessage());
        if (e.field() != null) {
            inner.put("field", e.field());
        }
        return Map.of("error", inner);
    }

    /** Ends the response with {@code e}'s status, {@code Retry-After} when set, and the error body. */
    public static void error(RoutingContext ctx, ApiError e) {
        HttpServerResponse r = ctx.response();
        if (r.headWritten()) {
            // Part of a body is already on the wire; the only honest signal left is to cut the connection.
            r.reset();
            return;
        }
        if (e.retryAfterSeconds() != null) {
            r.putHeader(HttpHeaders.RETRY_AFTER, Integer.toString(Math.max(1, e.retryAfterSeconds())));
        }
        if (e.status() == 401) {
            r.putHeader("WWW-Authenticate", "Bearer");
        }
        json(ctx, e.status(), errorBody(e));
    }
}
