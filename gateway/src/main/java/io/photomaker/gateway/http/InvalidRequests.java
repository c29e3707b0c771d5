package io.photomaker.gateway.http;

import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.photomaker.common.errors.ErrorType;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

/**
 * Answers requests the HTTP decoder could not parse (broken request line, oversized headers) with the
 * same JSON error body as everything else, then closes the connection: its framing cannot be trusted.
 */
public final class InvalidRequests implements Handler<HttpServerRequest> {
    @Override
    public void handle(HttpServerRequest request) {
        Throwable cause = request.decoderResult().cause();
        ApiError error;
        if (cause instanceof TooLongHttpLineException) {
            error = new ApiError(ErrorType.URI_TOO_LONG, "the request line is too long");
        } else if (cause instanceof TooLongHttpHeaderException) {
            error = new ApiError(ErrorType.HEADERS_TOO_LARGE, "the request headers are too large");
        } else {
            error = new ApiError(ErrorType.MALFORMED_HTTP, "the request is not valid HTTP", null);
        }
        request.response().setStatusCode(error.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Responses.JSON)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end(Buffer.buffer(Responses.bytes(Responses.errorBody(error))))
                .onComplete(ar -> request.connection().close());
    }
}
