package io.photomaker.gateway.webhook;

import io.photomaker.common.errors.ErrorType;
import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.JobProducer;
import io.photomaker.common.kafka.Topics;
import io.photomaker.gateway.http.ApiError;
import io.photomaker.gateway.jobs.JobLookup;
import io.photomaker.gateway.limits.RateLimiter;
import io.photomaker.gateway.submit.RequestParser;
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
 * Answers 202 once the round is durably queued. A delivery id must have the form the planner gives
 * ({@code msg_<job id>_<version>}, naming the job in the path) and the delivery must belong to the job and the
 * caller's tenant; replays draw from a per-tenant rate, since each one is a request to a receiver.
 */
public final class WebhookReplayHandler implements Handler<RoutingContext> {
    public static final String ROUTE = "/v1/jobs/:id/webhooks/:delivery_id/replay";

    private final JobLookup lookup;
    private final DeliveryLog log;
    private final JobProducer producer;
    private final RateLimiter replays;

    /** @param replays replays per tenant */
    public WebhookReplayHandler(JobLookup lookup, DeliveryLog log, JobProducer producer, RateLimiter replays) {
        this.lookup = lookup;
        this.log = log;
        this.producer = producer;
        this.replays = replays;
    }

    public void mount(Router router) {
        router.post(ROUTE).handler(this);
    }

    /** Whether {@code deliveryId} is a delivery id of job {@code jobId}: {@code msg_<job id>_<version>}. */
    static boolean isDeliveryOf(String deliveryId, String jobId) {
        String prefix = "msg_" + jobId + "_";
        if (deliveryId == null || !deliveryId.startsWith(prefix)) {
            return false;
        }
        String version = deliveryId.substring(prefix.length());
        return !version.isEmpty() && version.length() <= 19 && version.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    @Override
    public void handle(RoutingContext ctx) {
        String tenant = ctx.get("tenant");
        String jobId = ctx.pathParam("id");
        String deliveryId = ctx.pathParam("delivery_id");
        if (!isDeliveryOf(deliveryId, jobId)) {
            throw new ApiError(ErrorType.DELIVERY_NOT_FOUND, "no webhook delivery '" + RequestParser.printable(deliveryId)
                    + "' belongs to this job", "delivery_id");
        }
        long retry = replays.tryAcquire(tenant);
        if (retry > 0) {
            throw ApiError.retryAfter(ErrorType.RATE_LIMITED, "webhook replays are limited per tenant; try again later",
                    (int) retry);
        }
        CompletableFuture<WebhookDelivery> work = lookup.find(tenant, jobId)
                .toCompletionStage().toCompletableFuture()
                .thenCompose(rec -> log.find(jobId, deliveryId))
                .thenCompose(found -> found.filter(d -> jobId.equals(d.jobId()) && tenant.equals(d.tenant()))
                        .map(CompletableFuture::completedFuture).orElseGet(() ->
                        CompletableFuture.failedFuture(new ApiError(ErrorType.DELIVERY_NOT_FOUND,
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
