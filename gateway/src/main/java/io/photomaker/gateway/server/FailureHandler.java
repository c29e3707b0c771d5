package io.photomaker.gateway.server;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.photomaker.common.logging.JobLogContext;
import io.photomaker.common.storage.StorageException;
import io.photomaker.gateway.http.ApiError;
import io.photomaker.gateway.http.Responses;
import io.vertx.core.Handler;
import io.vertx.core.json.DecodeException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.openapi.validation.ValidatorException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place failures become HTTP answers: every failed routing context and every unmatched request
 * ends here and leaves as {@code {"error": {"type", "message", "field"?}}}. Unexpected exceptions are
 * logged with their stack trace and answered with a generic 500; the client never sees internals.
 */
public final class FailureHandler implements Handler<RoutingContext> {
    private static final Logger LOG = LoggerFactory.getLogger(FailureHandler.class);
    private static final Pattern PARAMETER = Pattern.compile("(?:path|query|header|cookie) parameter ([A-Za-z0-9_\\-]+)");
    private static final Pattern BODY_LOCATION = Pattern.compile(" at /([A-Za-z0-9_/\\-]+)");

    private final RouteTable routes;

    public FailureHandler(RouteTable routes) {
        this.routes = routes;
    }

    @Override
    public void handle(RoutingContext ctx) {
        ApiError error = toApiError(ctx);
        if (error.status() >= 500 && !"storage_unavailable".equals(error.type()) && !(ctx.failure() instanceof ApiError)) {
            String jobId = ctx.request().path().startsWith("/v1/jobs/") ? ctx.pathParam("id") : null;
            try (JobLogContext l = jobId == null ? null : JobLogContext.open(jobId, ctx.get("tenant"))) {
                LOG.error("{} {} failed", ctx.request().method(), ctx.request().path(), ctx.failure());
            }
        }
        if (error.status() == 405) {
            ctx.response().putHeader("Allow", routes.allowedMethods(ctx.request().path()));
        }
        Responses.error(ctx, error);
    }

    /** The API error a failed context stands for. */
    public static ApiError toApiError(RoutingContext ctx) {
        Throwable f = ctx.failure();
        while (f instanceof java.util.concurrent.CompletionException && f.getCause() != null) {
            f = f.getCause();
        }
        if (f instanceof ApiError e) {
            return e;
        }
        if (f instanceof HttpException he) {
            if (he.getCause() instanceof ValidatorException ve) {
                return fromValidator(ve);
            }
            return fromStatus(ctx, he.getStatusCode());
        }
        if (f instanceof ValidatorException ve) {
            return fromValidator(ve);
        }
        if (f instanceof DecodeException) {
            return ApiError.badRequest("invalid_json", "the request body is not valid JSON", null);
        }
        if (f instanceof HttpPostRequestDecoder.TooLongFormFieldException || f instanceof TooLongFrameException) {
            return new ApiError(413, "body_too_large", "a part of the request is larger than allowed");
        }
        if (f instanceof HttpPostRequestDecoder.TooManyFormFieldsException) {
            return ApiError.badRequest("too_many_parts", "the multipart body has too many parts", null);
        }
        if (f instanceof HttpPostRequestDecoder.ErrorDataDecoderException || f instanceof DecoderException) {
            return ApiError.badRequest("malformed_body", "the request body could not be decoded", null);
        }
        if (f instanceof StorageException) {
            return ApiError.unavailable("storage_unavailable", "the object store is not reachable; try again", 5);
        }
        if (f instanceof TimeoutException) {
            return ApiError.unavailable("timeout", "a backing service did not answer in time; try again", 5);
        }
        if (f == null || ctx.statusCode() >= 400 && ctx.statusCode() != 500) {
            return fromStatus(ctx, ctx.statusCode());
        }
        return new ApiError(500, "internal_error", "the gateway could not handle this request; it has been logged");
    }

    private static ApiError fromValidator(ValidatorException ve) {
        String message = ve.getMessage() == null ? "the request is invalid" : ve.getMessage();
        Matcher m = PARAMETER.matcher(message);
        if (m.find()) {
            return ApiError.badRequest("invalid_parameter", message, m.group(1));
        }
        Matcher body = BODY_LOCATION.matcher(message);
        String field = body.find() ? body.group(1).replace('/', '.') : null;
        return ApiError.badRequest("invalid_request", message, field);
    }

    private static ApiError fromStatus(RoutingContext ctx, int status) {
        String method = ctx.request().method().name();
        String path = ctx.request().path();
        return switch (status) {
            case 400 -> ApiError.badRequest("bad_request", "the request is malformed", null);
            case 401 -> new ApiError(401, "unauthorized", "a valid API key is required");
            case 403 -> new ApiError(403, "forbidden", "this key may not do that");
            case 404 -> new ApiError(404, "not_found", "no such resource: " + method + " " + path);
            case 405 -> new ApiError(405, "method_not_allowed", method + " is not allowed on " + path);
            case 413 -> new ApiError(413, "body_too_large", "the request body is larger than allowed");
            case 415 -> new ApiError(415, "unsupported_media_type", "this content type is not accepted here");
            case 417 -> new ApiError(417, "expectation_failed", "only Expect: 100-continue is supported");
            case 429 -> ApiError.tooMany("rate_limited", "too many requests", 1);
            case 503 -> ApiError.unavailable("unavailable", "the service is not available; try again", 5);
            default -> status >= 400 && status < 500
                    ? new ApiError(status, "bad_request", "the request cannot be served")
                    : new ApiError(500, "internal_error", "the gateway could not handle this request; it has been logged");
        };
    }
}
