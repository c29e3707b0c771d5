package io.photomaker.gateway.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.photomaker.common.job.JobStatus;
import io.photomaker.common.json.Json;
import io.photomaker.common.state.JobRecord;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Asks another gateway's internal listener for job records it holds ({@link InternalApi}). Any answer but
 * 200 or 404 (a partition not held there, a restoring store, a dead process, a timeout) is a failure, so the
 * caller can try a standby.
 */
public final class PeerClient implements AutoCloseable {
    private static final int CONNECT_TIMEOUT_MS = 1_000;
    private static final long REQUEST_TIMEOUT_MS = 2_000;

    private final WebClient client;
    private final String authorization;

    public PeerClient(Vertx vertx, String token) {
        this.client = WebClient.create(vertx, new WebClientOptions()
                .setConnectTimeout(CONNECT_TIMEOUT_MS)
                .setKeepAlive(true)
                .setUserAgent("photomaker-gateway"), new PoolOptions().setHttp1MaxSize(16));
        this.authorization = token == null || token.isEmpty() ? null : "Bearer " + token;
    }

    /** The record of {@code jobId} as {@code host} answers it; empty when it says there is none. */
    public Future<Optional<JobRecord>> get(HostInfo host, String jobId, int partition, boolean stale) {
        HttpRequest<Buffer> req = request(host, InternalApi.JOBS + jobId)
                .addQueryParam("partition", Integer.toString(partition))
                .addQueryParam("stale", Boolean.toString(stale));
        return req.send().compose(resp -> switch (resp.statusCode()) {
            case 200 -> Future.succeededFuture(Optional.of(Json.read(resp.bodyAsBuffer().getBytes(), JobRecord.class)));
            case 404 -> Future.succeededFuture(Optional.<JobRecord>empty());
            default -> Future.failedFuture(failure(host, resp));
        });
    }

    /** Up to {@code limit} of {@code tenant}'s jobs in {@code partitions} of {@code host}, newest first. */
    public Future<List<JobRecord>> list(HostInfo host, String tenant, JobStatus status, String beforeId, int limit,
                                        Collection<Integer> partitions, boolean stale) {
        HttpRequest<Buffer> req = request(host, InternalApi.TENANTS + tenant + "/jobs")
                .addQueryParam("partitions", partitions.stream().map(String::valueOf).collect(Collectors.joining(",")))
                .addQueryParam("limit", Integer.toString(limit))
                .addQueryParam("stale", Boolean.toString(stale));
        if (status != null) {
            req.addQueryParam("status", status.wireName());
        }
        if (beforeId != null) {
            req.addQueryParam("before", beforeId);
        }
        return req.send().compose(resp -> {
            if (resp.statusCode() != 200) {
                return Future.failedFuture(failure(host, resp));
            }
            List<JobRecord> out = new ArrayList<>();
            for (JsonNode n : Json.read(resp.bodyAsBuffer().getBytes(), JsonNode.class).path("data")) {
                out.add(Json.mapper().convertValue(n, JobRecord.class));
            }
            return Future.succeededFuture(out);
        });
    }

    private HttpRequest<Buffer> request(HostInfo host, String path) {
        HttpRequest<Buffer> req = client.get(host.port(), host.host(), path).timeout(REQUEST_TIMEOUT_MS);
        if (authorization != null) {
            req.putHeader("Authorization", authorization);
        }
        return req;
    }

    private static IllegalStateException failure(HostInfo host, HttpResponse<Buffer> resp) {
        return new IllegalStateException("gateway " + host.host() + ":" + host.port() + " answered "
                + resp.statusCode());
    }

    @Override
    public void close() {
        client.close();
    }
}
