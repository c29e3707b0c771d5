package io.photomaker.gateway.cluster;

import io.photomaker.common.errors.ErrorType;
import io.photomaker.common.state.JobRecord;
import io.photomaker.gateway.http.ApiError;
import io.photomaker.gateway.state.LocalStores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Finds a job's record wherever its state partition lives: in this gateway's own store when it owns the
 * partition, else by asking the owning gateway over the internal listener; when the owner cannot answer
 * (dead, restoring, unreachable) a standby copy answers, local or remote. While a rebalance moves the
 * partition (no owner named for a moment, or the named one has just let it go) the read asks again, a few
 * times within {@value #PATIENCE_MS} ms; when still nobody can answer, it fails with 503 and Retry-After.
 * Empty means the owner (or a standby) knows the job does not exist.
 */
public final class JobReader {
    static final long PATIENCE_MS = 3_000;
    private static final int RETRY_AFTER_SECONDS = 1;

    private final Vertx vertx;
    private final OwnerReads local;
    private final PeerClient peers;

    public JobReader(Vertx vertx, OwnerReads local, PeerClient peers) {
        this.vertx = vertx;
        this.local = local;
        this.peers = peers;
    }

    /** A place to ask: a gateway and whether it holds a standby copy. */
    private record Source(HostInfo host, boolean stale) {
    }

    public Future<Optional<JobRecord>> find(String jobId) {
        return find(jobId, System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(PATIENCE_MS), 50);
    }

    private Future<Optional<JobRecord>> find(String jobId, long deadline, long backoffMs) {
        LocalStores.Location at = local.stores().locate(jobId);
        List<Source> sources = new ArrayList<>();
        if (at.active() != null) {
            sources.add(new Source(at.active(), false));
        }
        at.standbys().forEach(h -> sources.add(new Source(h, true)));
        return ask(jobId, at.partition(), sources, 0).recover(e -> {
            if (System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(backoffMs) > deadline) {
                return Future.failedFuture(e);
            }
            // The partition is between owners: ask again once the group has moved on.
            return later(backoffMs).compose(v -> find(jobId, deadline, Math.min(backoffMs * 2, 800)));
        });
    }

    private Future<Void> later(long millis) {
        io.vertx.core.Promise<Void> p = io.vertx.core.Promise.promise();
        vertx.setTimer(millis, t -> p.complete());
        return p.future();
    }

    private Future<Optional<JobRecord>> ask(String jobId, int partition, List<Source> sources, int next) {
        if (next >= sources.size()) {
            return Future.failedFuture(unavailable(jobId));
        }
        Source s = sources.get(next);
        Future<Optional<JobRecord>> answer = local.stores().isSelf(s.host())
                ? local.answer(jobId, partition, s.stale())
                : peers.get(s.host(), jobId, partition, s.stale());
        return answer.recover(e -> ask(jobId, partition, sources, next + 1));
    }

    static ApiError unavailable(String what) {
        return ApiError.retryAfter(ErrorType.STATE_UNAVAILABLE, "the state of " + what + " cannot be read right now"
                + " (its partition is moving between gateways); try again", RETRY_AFTER_SECONDS);
    }
}
