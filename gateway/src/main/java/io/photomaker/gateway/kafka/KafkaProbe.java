package io.photomaker.gateway.kafka;

import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.kafka.KafkaClients;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Tells whether the Kafka cluster answers, by asking it for its brokers. A background check every
 * {@code interval} keeps {@link #isUp()} current for the submit path's fast failure; readiness asks afresh.
 */
public final class KafkaProbe implements AutoCloseable {
    private static final int CHECK_TIMEOUT_MS = 2_000;

    private final Vertx vertx;
    private final Admin admin;
    private final long timerId;
    private volatile boolean up = true;

    public KafkaProbe(Vertx vertx, KafkaSettings kafka, Duration interval) {
        this.vertx = vertx;
        Map<String, Object> cfg = new HashMap<>(KafkaClients.admin(kafka));
        cfg.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, CHECK_TIMEOUT_MS);
        cfg.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, CHECK_TIMEOUT_MS);
        cfg.put(AdminClientConfig.CLIENT_ID_CONFIG, "photomaker-gateway-probe");
        this.admin = Admin.create(cfg);
        this.timerId = vertx.setPeriodic(interval.toMillis(), t -> check());
    }

    /** The last known answer; true until a check has failed. */
    public boolean isUp() {
        return up;
    }

    /** Asks the cluster now; completes with whether at least one broker answered within 2 s. */
    public Future<Boolean> check() {
        var nodes = admin.describeCluster(new DescribeClusterOptions().timeoutMs(CHECK_TIMEOUT_MS)).nodes()
                .toCompletionStage().toCompletableFuture().orTimeout(CHECK_TIMEOUT_MS + 500, TimeUnit.MILLISECONDS);
        return Future.fromCompletionStage(nodes, vertx.getOrCreateContext())
                .map(n -> !n.isEmpty())
                .otherwise(false)
                .onSuccess(ok -> up = ok);
    }

    @Override
    public void close() {
        vertx.cancelTimer(timerId);
        admin.close(Duration.ofSeconds(2));
    }
}
