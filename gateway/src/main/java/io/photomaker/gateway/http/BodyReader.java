package io.photomaker.gateway.http;

import io.photomaker.gateway.limits.BodyBudget;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.impl.RoutingContextInternal;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the small request bodies of the control endpoints before OpenAPI validation, under the same body budget
 * and time budget as submissions ({@link BodyCollector}) and a limit of {@value #CONTROL_BODY_LIMIT} bytes: no
 * control operation takes more than a few bytes of JSON. Job and identity submissions and every multipart body
 * are skipped: their handlers stream the body themselves (see {@code SubmissionReader}).
 */
public final class BodyReader implements Handler<RoutingContext> {
    public static final long CONTROL_BODY_LIMIT = 64 * 1024;
    /** Paths whose POST bodies carry photos and are read by their handlers. */
    private static final Set<String> SUBMISSIONS = Set.of("/v1/jobs", "/v1/identities");

    private final BodyCollector collector;

    public BodyReader(BodyBudget budget, Duration timeout) {
        this.collector = new BodyCollector(CONTROL_BODY_LIMIT, budget, timeout);
    }

    @Override
    public void handle(RoutingContext ctx) {
        String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        boolean multipart = type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/");
        if (multipart || ctx.request().method() == HttpMethod.POST && SUBMISSIONS.contains(ctx.normalizedPath())) {
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
