package io.photomaker.gateway.http;

import io.photomaker.common.errors.ErrorType;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * A last line of defence: a request that has not started its answer after {@code millis} gets a 503
 * instead of hanging. Streams (SSE) are unaffected once their headers are sent.
 */
public final class AnswerDeadline implements Handler<RoutingContext> {
    private final long millis;

    public AnswerDeadline(long millis) {
        this.millis = millis;
    }

    @Override
    public void handle(RoutingContext ctx) {
        long timer = ctx.vertx().setTimer(millis, t -> {
            if (!ctx.response().headWritten() && !ctx.response().closed()) {
                ctx.fail(ApiError.retryAfter(ErrorType.TIMEOUT, "the gateway could not answer in time; try again", 5));
            }
        });
        ctx.addHeadersEndHandler(v -> ctx.vertx().cancelTimer(timer));
        ctx.addEndHandler(v -> ctx.vertx().cancelTimer(timer));
        ctx.next();
    }
}
