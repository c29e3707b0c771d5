package io.photomaker.gateway.http;

import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.multipart.HttpPostRequestDecoder;
import io.photomaker.common.errors.ErrorType;
import io.photomaker.common.logging.JobLogContext;
import io.photomaker.common.storage.StorageException;
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
        if (error.status() >= 500 && error.errorType() != ErrorType.STORAGE_UNAVAILABLE && !(ctx.failure() instanceof ApiError)) {
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
            return new ApiError(ErrorType.INVALID_JSON, "the request body is not valid JSON", null);
        }
        if (f instanceof HttpPostRequestDecoder.TooLongFormFieldException || f instanceof TooLongFrameException) {
            return new ApiError(ErrorType.BODY_TOO_LARGE, "a part of the request is larger than allowed");
        }
        if (f instanceof HttpPostRequestDecoder.TooManyFormFieldsException) {
            return new ApiError(ErrorType.TOO_MANY_PARTS, "the multipart body has too many parts", null);
        }
        if (f instanceof HttpPostRequestDecoder.ErrorDataDecoderException || f instanceof DecoderException) {
            return new ApiError(ErrorType.MALFORMED_BODY, "the request body could not be decoded", null);
        }
        if (f instanceof StorageException) {
            return ApiError.retryAfter(ErrorType.STORAGE_UNAVAILABLE, "the object store is not reachable; try again", 5);
        }
        if (f instanceof TimeoutException) {
            return ApiError.retryAfter(ErrorType.TIMEOUT, "a backing service did not answer in time; try again", 5);
        }
        if (f == null || ctx.statusCode() >= 400 && ctx.statusCode() != 500) {
            return fromStatus(ctx, ctx.statusCode());
        }
        return new ApiError(ErrorType.INTERNAL_ERROR, "the gateway could not handle this request; it has been logged");
    }

    private static ApiError fromValidator(ValidatorException ve) {
        String message = ve.getMessage() == null ? "the request is invalid" : ve.getMessage();
        Matcher m = PARAMETER.matcher(message);
        if (m.find()) {
            return new ApiError(ErrorType.INVALID_PARAMETER, message, m.group(1));
        }
        Matcher body = BODY_LOCATION.matcher(message);
        String field = body.find() ? body.group(1).replace('/', '.') : null;
        return new ApiError(ErrorType.INVALID_REQUEST, message, field);
    }

    private static ApiError fromStatus(RoutingContext ctx, int status) {
        String method = ctx.request().method().name();
        String path = ctx.request().path();
        return switch (status) {
            case 400 -> new ApiError(ErrorType.BAD_REQUEST, "the request is malformed", null);
            case 401 -> new ApiError(ErrorType.UNAUTHORIZED, "a valid API key is required");
            case 403 -> new ApiError(ErrorType.FORBIDDEN, "this key may not do that");
            case 404 -> new ApiError(ErrorType.NOT_FOUND, "no such resource: " + method + " " + path);
            case 405 -> new ApiError(ErrorType.METHOD_NOT_ALLOWED, method + " is not allowed on " + path);
            case 413 -> new ApiError(ErrorType.BODY_TOO_LARGE, "the request body is larger than allowed");
            case 415 -> new ApiError(ErrorType.UNSUPPORTED_MEDIA_TYPE, "this content type is not accepted here");
            case 417 -> new ApiError(ErrorType.EXPECTATION_FAILED, "only Expect: 100-continue is supported");
            case 429 -> ApiError.retryAfter(ErrorType.RATE_LIMITED, "too many requests", 1);
            case 503 -> ApiError.retryAfter(ErrorType.UNAVAILABLE, "the service is not available; try again", 5);
            default -> status >= 400 && status < 500
                    ? new ApiError(status, ErrorType.BAD_REQUEST, "the request cannot be served")
                    : new ApiError(ErrorType.INTERNAL_ERROR, "the gateway could not handle this request; it has been logged");
        };
    }
}
