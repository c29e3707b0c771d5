package io.photomaker.gateway.jobs;

import io.photomaker.common.json.Json;
import io.photomaker.gateway.webhook.DeliveryLog;
import io.photomaker.gateway.webhook.WebhookAttempt;
import io.photomaker.gateway.webhook.WebhookDelivery;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * {@code GET /v1/jobs/{id}/webhooks}: the job's webhook deliveries with every try (time, status code,
 * outcome, error, next try), newest state last, for the job's own tenant only.
 */
public final class WebhookLogHandler implements Handler<RoutingContext> {
    public static final String ROUTE = "/v1/jobs/:id/webhooks";

    private final JobLookup lookup;
    private final DeliveryLog log;

    public WebhookLogHandler(JobLookup lookup, DeliveryLog log) {
        this.lookup = lookup;
        this.log = log;
    }

    public void mount(Router router) {
        router.get(ROUTE).handler(this);
    }

    @Override
    public void handle(RoutingContext ctx) {
        String jobId = ctx.pathParam("id");
        var work = lookup.find(ctx.get("tenant"), jobId).toCompletionStage().toCompletableFuture().thenCompose(rec -> log.list(jobId));
        Future.fromCompletionStage(work, ctx.vertx().getOrCreateContext())
                .onSuccess(deliveries -> ctx.response().setStatusCode(200)
                        .putHeader("content-type", "application/json")
                        .end(Json.string(Map.of("data", deliveries.stream().map(WebhookLogHandler::view).toList()))))
                .onFailure(e -> ctx.fail(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e));
    }

    static Map<String, Object> view(WebhookDelivery d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("type", d.type());
        m.put("url", d.url());
        m.put("created_at", Instant.ofEpochMilli(d.createdAt()).toString());
        m.put("state", d.state());
        List<Map<String, Object>> attempts = new ArrayList<>();
        for (WebhookAttempt a : d.attempts()) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("number", a.number());
            t.put("at", Instant.ofEpochMilli(a.at()).toString());
            t.put("status_code", a.statusCode());
            t.put("outcome", a.outcome());
            if (a.error() != null) {
                t.put("error", a.error());
            }
            if (a.nextAttemptAt() > 0) {
                t.put("next_attempt_at", Instant.ofEpochMilli(a.nextAttemptAt()).toString());
            }
            attempts.add(t);
        }
        m.put("attempts", attempts);
        return m;
    }
}
