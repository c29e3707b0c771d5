package io.photomaker.gateway.openapi;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The gateway's OpenAPI 3.1 document ({@code openapi.json} on the classpath): served verbatim at
 * {@code GET /openapi.json} and used to build the validating router.
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
                .compose(raw -> OpenAPIContract.from(vertx, new JsonObject(raw))
                        .map(c -> new ApiContract(raw, c)));
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
