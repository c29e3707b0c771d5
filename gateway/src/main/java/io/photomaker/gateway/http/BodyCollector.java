package io.photomaker.gateway.http;

import io.photomaker.common.errors.ErrorType;
import io.photomaker.gateway.limits.BodyBudget;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.Arrays;

/**
 * Reads a request body into one array, within three limits checked as bytes arrive: its size, the process-wide
 * {@link BodyBudget} (every byte of array capacity is reserved before it is allocated, and held until the answer
 * is out), and one time budget for the whole body that trickling bytes do not extend. Nothing is reserved from a
 * declared Content-Length: the array grows from 64 KiB as data comes. When a limit is hit the request is answered
 * and its connection closed (an HTTP/2 stream is reset), so a client cannot keep sending into a refused request.
 */
public final class BodyCollector {
    private static final int FIRST_CAPACITY = 64 * 1024;

    private final long maxBytes;
    private final BodyBudget budget;
    private final Duration timeout;

    /** A collected body: {@code bytes[0, length)}. */
    public record Body(byte[] bytes, int length) {
    }

    public BodyCollector(long maxBytes, BodyBudget budget, Duration timeout) {
        this.maxBytes = maxBytes;
        this.budget = budget;
        this.timeout = timeout;
    }

    /** Reads the body of {@code ctx}'s request; fails with an {@link ApiError} when a limit is hit. */
    public Future<Body> collect(RoutingContext ctx) {
        return new Collection(ctx).start();
    }

    /** The 413 for a body over {@code maxBytes}; its connection is closed after the answer. */
    public static ApiError tooLarge(RoutingContext ctx, long maxBytes) {
        closeAfterAnswer(ctx);
        return new ApiError(ErrorType.BODY_TOO_LARGE, "the request body is larger than " + maxBytes + " bytes");
    }

    /**
     * Closes the request's connection once its answer is written (HTTP/1.x), or resets its stream if the client
     * is still sending (HTTP/2, whose other streams carry on).
     */
    public static void closeAfterAnswer(RoutingContext ctx) {
        HttpServerRequest req = ctx.request();
        if (req.version() == HttpVersion.HTTP_2) {
            ctx.addEndHandler(v -> {
                if (!req.isEnded()) {
                    req.response().reset(8);
                }
            });
            return;
        }
        if (!ctx.response().headWritten()) {
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close");
        }
        ctx.addEndHandler(v -> req.connection().close());
    }

    /** One body being read. */
    private final class Collection {
        private final RoutingContext ctx;
        private final Promise<Body> result = Promise.promise();
        private final BodyBudget.Hold hold = budget.hold();
        private byte[] body = new byte[0];
        private int size;
        private long timer = -1;

        Collection(RoutingContext ctx) {
            this.ctx = ctx;
        }

        Future<Body> start() {
            HttpServerRequest req = ctx.request();
            ctx.addEndHandler(v -> hold.release());
            timer = ctx.vertx().setTimer(timeout.toMillis(), t -> fail(new ApiError(ErrorType.BODY_TIMEOUT,
                    "the request body was not complete within " + timeout.toSeconds() + " s")));
            req.handler(this::append);
            req.exceptionHandler(e -> fail(new ApiError(ErrorType.MALFORMED_BODY, "the request body broke off",
                    null)));
            req.endHandler(v -> finish());
            return result.future();
        }

        private void append(Buffer chunk) {
            if (result.future().isComplete()) {
                return;
            }
            int n = chunk.length();
            if (size + (long) n > maxBytes) {
                fail(tooLarge(ctx, maxBytes));
                return;
            }
            if (size + n > body.length && !grow(size + n)) {
                fail(ApiError.retryAfter(ErrorType.BODY_BUDGET_EXHAUSTED, "the gateway is receiving too much data right now;"
                        + " try again shortly", 2));
                return;
            }
            chunk.getBytes(body, size);
            size += n;
        }

        /** Doubles the array (at least to {@code needed}, at most to the limit) if the budget can spare it. */
        private boolean grow(int needed) {
            long target = Math.min(maxBytes, Math.max(needed, Math.max(FIRST_CAPACITY, (long) body.length * 2)));
            if (!hold.grow(target - body.length)) {
                return false;
            }
            body = Arrays.copyOf(body, (int) target);
            return true;
        }

        private void finish() {
            ctx.vertx().cancelTimer(timer);
            result.tryComplete(new Body(body, size));
        }

        private void fail(ApiError e) {
            if (result.future().isComplete()) {
                return;
            }
            ctx.vertx().cancelTimer(timer);
            body = null;
            if (e.status() != 413) {
                // Before failing: the answer is written as soon as the failure reaches the router.
                closeAfterAnswer(ctx);
            }
            result.tryFail(e);
        }
    }
}
