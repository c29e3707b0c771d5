package io.photomaker.gateway.webhook;

import io.photomaker.gateway.http.Responses;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * {@code GET /v1/webhooks/default/secret}: {@code {"key": "whsec_..."}}, the secret that signs every webhook of
 * the calling tenant's jobs. Each tenant sees only its own; the answer is never cached.
 */
public final class WebhookSecretHandler implements Handler<RoutingContext> {
    private final WebhookKeys keys;

    public WebhookSecretHandler(WebhookKeys keys) {
        this.keys = keys;
    }

    @Override
    public void handle(RoutingContext ctx) {
        Responses.json(ctx, 200, Map.of("key", keys.secretFor(ctx.get("tenant"))));
    }
}
