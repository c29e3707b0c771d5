package io.photomaker.gateway.ops;

import io.photomaker.common.errors.ErrorType;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.gateway.http.ApiError;
import io.photomaker.gateway.http.Responses;
import io.photomaker.gateway.metrics.GatewayMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Operational endpoints: liveness ({@code /healthz}: the process answers), readiness ({@code /readyz}:
 * Kafka answers, the bucket answers, and this gateway's share of the job state is restored and caught up,
 * see {@link StateReadiness}) and Prometheus metrics.
 */
public final class OpsHandlers {
    private final Vertx vertx;
    private final KafkaProbe kafka;
    private final StateReadiness state;
    private final ObjectStore store;
    private final GatewayMetrics metrics;

    public OpsHandlers(Vertx vertx, KafkaProbe kafka, StateReadiness state, ObjectStore store, GatewayMetrics metrics) {
        this.vertx = vertx;
        this.kafka = kafka;
        this.state = state;
        this.store = store;
        this.metrics = metrics;
    }

    public void health(RoutingContext ctx) {
        Responses.json(ctx, 200, Map.of("status", "ok"));
    }

    public void ready(RoutingContext ctx) {
        Future<Boolean> s3 = Future.fromCompletionStage(store.ping(), vertx.getOrCreateContext())
                .timeout(3, TimeUnit.SECONDS).map(v -> true).otherwise(false);
        Future.join(kafka.check(), s3).onComplete(ar -> {
            boolean kafkaUp = kafka.isUp();
            boolean s3Up = s3.succeeded() && s3.result();
            List<String> down = new ArrayList<>();
            if (!kafkaUp) {
                down.add("kafka");
            }
            if (!s3Up) {
                down.add("object store");
            }
            java.util.Optional<String> stateProblem = state.problem();
            if (down.isEmpty() && stateProblem.isEmpty()) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("status", "ready");
                body.put("checks", Map.of("kafka", "up", "object_store", "up", "job_state", "ready"));
                Responses.json(ctx, 200, body);
            } else if (!down.isEmpty()) {
                Responses.error(ctx, ApiError.retryAfter(ErrorType.NOT_READY, "not ready: " + String.join(" and ", down)
                        + " not reachable", 5));
            } else {
                Responses.error(ctx, ApiError.retryAfter(ErrorType.NOT_READY, "not ready: " + stateProblem.get(), 2));
            }
        });
    }

    public void metrics(RoutingContext ctx) {
        String text = metrics.scrape();
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
                .end(Buffer.buffer(text));
    }
}
