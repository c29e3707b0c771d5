package io.photomaker.gateway.openapi;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.MediaType;
import io.vertx.openapi.contract.OpenAPIContract;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The gateway's OpenAPI 3.1 document ({@code openapi.json} on the classpath): served verbatim at
 * {@code GET /openapi.json} and used to build the validating router. The Vert.x contract parser refuses
 * media types it cannot validate (text/html, text/event-stream) even in responses, so the router gets a
 * copy without those response bodies; requests are unaffected. The copy also drops the security
 * requirements: {@code AuthHandler} authenticates every request before routing.
 */
public final class ApiContract {
    public static final String RESOURCE = "openapi.json";

    private final Buffer raw;
    private final OpenAPIContract contract;

    private ApiContract(Buffer raw, OpenAPIContract contract) {
        this.raw = raw;
        this.contract = contract;
    }

    /** Reads and resolves the document; blocking work runs on a worker thread. */
    public static Future<ApiContract> load(Vertx vertx) {
        return vertx.executeBlocking(ApiContract::readResource)
                .compose(raw -> OpenAPIContract.from(vertx, forValidator(new JsonObject(raw)))
                        .map(c -> new ApiContract(raw, c)));
    }

    /** {@code doc} without response media types the validator does not know (responses are not validated). */
    static JsonObject forValidator(JsonObject doc) {
        JsonObject copy = doc.copy();
        copy.remove("security");
        JsonObject paths = copy.getJsonObject("paths", new JsonObject());
        for (String path : paths.fieldNames()) {
            JsonObject item = paths.getJsonObject(path);
            for (String method : item.fieldNames()) {
                if (!(item.getValue(method) instanceof JsonObject op) || !op.containsKey("responses")) {
                    continue;
                }
                op.remove("security");
                JsonObject responses = op.getJsonObject("responses");
                for (String status : responses.fieldNames()) {
                    JsonObject response = responses.getJsonObject(status);
                    JsonObject content = response.getJsonObject("content");
                    if (content != null) {
                        content.fieldNames().removeIf(type -> !MediaType.isMediaTypeSupported(type));
                    }
                }
            }
        }
        return copy;
    }

    static Buffer readResource() {
        try (InputStream in = ApiContract.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the classpath");
            }
            return Buffer.buffer(in.readAllBytes());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Buffer raw() {
        return raw;
    }

    public OpenAPIContract contract() {
        return contract;
    }
}
