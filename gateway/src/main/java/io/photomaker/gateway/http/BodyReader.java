package io.photomaker.gateway.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.Locale;
import java.util.Set;

/**
 * Buffers small request bodies (JSON of the control endpoints) before OpenAPI validation. Job and identity
 * submissions and every multipart body are skipped: their handlers stream the body themselves, within their own
 * limits and without temp files (see {@code SubmissionReader}).
 */
public final class BodyReader implements Handler<RoutingContext> {
    public static final long CONTROL_BODY_LIMIT = 1 << 20;
    /** Paths whose POST bodies carry photos and are read by their handlers. */
    private static final Set<String> SUBMISSIONS = Set.of("/v1/jobs", "/v1/identities");

    private final BodyHandler body = BodyHandler.create(false).setBodyLimit(CONTROL_BODY_LIMIT);

    @Override
    public void handle(RoutingContext ctx) {
        String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
        boolean multipart = type != null && type.toLowerCase(Locale.ROOT).startsWith("multipart/");
        if (multipart || ctx.request().method() == HttpMethod.POST && SUBMISSIONS.contains(ctx.normalizedPath())) {
            ctx.next();
            return;
        }
        body.handle(ctx);
    }
}
