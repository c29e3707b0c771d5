package io.photomaker.gateway.webhook;

import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.JobProducer;
import io.photomaker.common.kafka.Topics;
import io.photomaker.gateway.http.ApiError;
import io.photomaker.gateway.jobs.JobLookup;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code POST /v1/jobs/{id}/webhooks/{deliveryId}/replay}: sends a logged delivery again, with the same
 * webhook-id and body, as a new round of tries (a receiver's earlier 410 does not stop a replay).
 * Answers 202 once the round is durably queued.
 */
public final class WebhookReplayHandler implements Handler<RoutingContext> {
    public static final String ROUTE = "/v1/jobs/:id/webhooks/:delivery_id/replay";

    private final JobLookup lookup;
    private final DeliveryLog log;
    private final JobProducer producer;

    public WebhookReplayHandler(JobLookup lookup, DeliveryLog log, JobProducer producer) {
        this.lookup = lookup;
        this.log = log;
        this.producer = producer;
    }

    public void mount(Router router) {
        router.post(ROUTE).handler(this);
    }

    @Override
    public void handle(RoutingContext ctx) {
        String jobId = ctx.pathParam("id");
        String deliveryId = ctx.pathParam("delivery_id");
        CompletableFuture<WebhookDelivery> work = lookup.find(ctx.get("tenant"), jobId)
                .toCompletionStage().toCompletableFuture()
                .thenCompose(rec -> log.find(jobId, deliveryId))
                .thenCompose(found -> found.map(CompletableFuture::completedFuture).orElseGet(() ->
                        CompletableFuture.failedFuture(new ApiError(404, "delivery_not_found",
                                "webhook delivery " + deliveryId + " of job " + jobId + " was not found"))))
                .thenCompose(d -> {
                    WebhookDelivery round = d.replayAt(System.currentTimeMillis());
                    return producer.send(new ProducerRecord<>(Topics.WEBHOOKS, round.id(), Json.bytes(round)))
                            .thenApply(md -> round);
                });
        Future.fromCompletionStage(work, ctx.vertx().getOrCreateContext())
                .onSuccess(d -> ctx.response().setStatusCode(202).putHeader("content-type", "application/json")
                        .end(Json.string(Map.of("delivery_id", d.id(), "status", "scheduled"))))
                .onFailure(e -> ctx.fail(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e));
    }
}
