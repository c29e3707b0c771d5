package io.photomaker.gateway.server;

import io.photomaker.gateway.http.BodyBudget;
import io.photomaker.gateway.http.BodyCollector;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.RoutingContextInternal;
import java.time.Duration;
import java.util.Locale;

/**
 * Reads the small request bodies of the control endpoints before OpenAPI validation, under the same body budget
 * and time budget as submissions ({@link BodyCollector}) and a limit of {@value #CONTROL_BODY_LIMIT} bytes: no
 * control operation takes more than a few bytes of JSON. Bodies of operations the route table marks
 * {@link OperationTable.BodyMode#STREAM} (job and identity submissions) and every multipart body are skipped: their
 * handlers stream the body themselves (see {@code SubmissionReader}).
 */
public final class BodyReader implements Handler<RoutingContext> {
    public static final long CONTROL_BODY_LIMIT = 64 * 1024;
    private final OperationTable operations;
    private final BodyCollector collector;

    public BodyReader(OperationTable operations, BodyBudget budget, Duration timeout) {
        this.operations = operations;
        this.collector = new BodyCollector(CONTROL_BODY_LIMIT, budget, timeout);
    }

    @Override
    public void handle(RoutingContext ctx) {
        String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        boolean multipart = type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/");
        if (multipart || operations.bodyMode(ctx.request().method(), ctx.normalizedPath())
                == OperationTable.BodyMode.STREAM) {
            ctx.next();
            return;
        }
        if (ctx.request().isEnded()) {
            hand(ctx, Buffer.buffer());
            return;
        }
        collector.collect(ctx).onSuccess(body -> hand(ctx, Buffer.buffer(body.bytes()).slice(0, body.length())))
                .onFailure(ctx::fail);
    }

    /** Gives the body to the router the way its own body handler would, for the OpenAPI validator. */
    private static void hand(RoutingContext ctx, Buffer body) {
        RoutingContextInternal internal = (RoutingContextInternal) ctx;
        internal.visitHandler(RoutingContextInternal.BODY_HANDLER);
        internal.setBody(body);
        ctx.next();
    }
}
