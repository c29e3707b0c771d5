package io.photomaker.gateway.cluster;

import io.photomaker.common.state.JobRecord;
import io.photomaker.gateway.http.ApiError;
import io.photomaker.gateway.state.LocalStores;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Finds a job's record wherever its state partition lives: in this gateway's own store when it owns the
 * partition, else by asking the owning gateway over the internal listener; when the owner cannot answer
 * (dead, restoring, unreachable) a standby copy answers, local or remote; when nobody can, the read fails
 * with 503 and Retry-After. Empty means the owner (or a standby) knows the job does not exist.
 */
public final class JobReader {
    private static final int RETRY_AFTER_SECONDS = 1;

    private final OwnerReads local;
    private final PeerClient peers;

    public JobReader(OwnerReads local, PeerClient peers) {
        this.local = local;
        this.peers = peers;
    }

    /** A place to ask: a gateway and whether it holds a standby copy. */
    private record Source(HostInfo host, boolean stale) {
    }

    public Future<Optional<JobRecord>> find(String jobId) {
        LocalStores.Location at = local.stores().locate(jobId);
        List<Source> sources = new ArrayList<>();
        if (at.active() != null) {
            sources.add(new Source(at.active(), false));
        }
        at.standbys().forEach(h -> sources.add(new Source(h, true)));
        return ask(jobId, at.partition(), sources, 0);
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
        return ApiError.unavailable("state_unavailable", "the state of " + what + " cannot be read right now"
                + " (its partition is moving between gateways); try again", RETRY_AFTER_SECONDS);
    }
}
