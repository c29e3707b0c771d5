package io.photomaker.gateway.cluster;

import io.photomaker.common.job.JobIds;
import io.photomaker.common.job.JobStatus;
import io.photomaker.common.json.Json;
import io.photomaker.common.state.JobRecord;
import io.photomaker.gateway.jobs.ArchivedJobs;
import io.photomaker.gateway.state.LocalStores;
import io.photomaker.gateway.state.RecordArrivals;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * How a gateway answers for the store partitions it holds, for itself and for the gateways that route to it:
 * the record from the local store; for a just-created id that the owner has not stored yet, a short wait
 * for its state processor to store it; for an id that is not in the live state, the archive. A standby copy
 * cannot wait for a record it does not write, so it refuses a just-created id it lacks (the caller tries
 * elsewhere or answers 503). Store reads run on a small worker pool, never on an event loop.
 */
public final class OwnerReads {
    private static final int READ_THREADS = 4;

    private final Vertx vertx;
    private final LocalStores stores;
    private final RecordArrivals arrivals;
    private final WorkerExecutor pool;
    private final Duration recentWindow;
    private final Duration recentWait;
    private volatile ArchivedJobs archive = ArchivedJobs.NONE;

    public OwnerReads(Vertx vertx, LocalStores stores, RecordArrivals arrivals, Duration recentWindow,
                      Duration recentWait) {
        this.vertx = vertx;
        this.stores = stores;
        this.arrivals = arrivals;
        this.pool = vertx.createSharedWorkerExecutor("state-reads", READ_THREADS);
        this.recentWindow = recentWindow;
        this.recentWait = recentWait;
    }

    /** Where jobs that left the live state are found (mounted by retention). */
    public void archive(ArchivedJobs reader) {
        this.archive = reader == null ? ArchivedJobs.NONE : reader;
    }

    public LocalStores stores() {
        return stores;
    }

    /**
     * The record of {@code jobId} from this gateway's store partition {@code partition}; {@code stale} when this
     * gateway holds a standby copy. Fails with {@link LocalStores.Unavailable} when it cannot tell.
     */
    public Future<Optional<JobRecord>> answer(String jobId, int partition, boolean stale) {
        return answerJson(jobId, partition, stale).map(found -> found.map(b -> Json.read(b, JobRecord.class)));
    }

    /** As {@link #answer}, the record as stored (JSON): what the internal listener sends on unchanged. */
    public Future<Optional<byte[]>> answerJson(String jobId, int partition, boolean stale) {
        boolean recent = isRecent(jobId);
        // Registered before the first read, so an arrival between the read and the wait is not missed.
        CompletableFuture<Void> arrival = recent && !stale ? arrivals.next(jobId) : null;
        return read(jobId, partition, stale).compose(found -> {
            if (found.isPresent()) {
                cancel(arrival);
                return Future.succeededFuture(found);
            }
            if (arrival != null) {
                return Future.fromCompletionStage(arrival.orTimeout(recentWait.toMillis(), TimeUnit.MILLISECONDS),
                                vertx.getOrCreateContext())
                        .transform(ar -> read(jobId, partition, false))
                        .compose(again -> again.isPresent() ? Future.succeededFuture(again) : fromArchive(jobId));
            }
            if (recent) {
                return Future.failedFuture(new LocalStores.Unavailable("job " + jobId + " is not on this standby yet"));
            }
            return fromArchive(jobId);
        }).onFailure(e -> cancel(arrival));
    }

    /** The tenant's jobs in this gateway's store partitions {@code partitions}, newest first. */
    public Future<List<JobRecord>> list(String tenant, JobStatus status, String beforeId, int limit,
                                        Collection<Integer> partitions, boolean stale) {
        return pool.executeBlocking(() -> {
            try {
                return stores.list(tenant, status, beforeId, limit, partitions, stale);
            } catch (LocalStores.Unavailable e) {
                if (stale) {
                    throw e;
                }
                // As for single reads: a rebalance refuses owner reads of partitions that stay here.
                return stores.list(tenant, status, beforeId, limit, partitions, true);
            }
        }, false);
    }

    /** Whether {@code jobId} was created so recently that its record may still be on its way. */
    public boolean isRecent(String jobId) {
        long created = JobIds.createdAt(jobId);
        if (created < 0) {
            return false;
        }
        long age = System.currentTimeMillis() - created;
        // A little negative age is clock skew between replicas, not a future id.
        return age > -5_000 && age <= recentWindow.toMillis();
    }

    /**
     * Reads the local copy. The owner's copy is read as the owner first; while the group rebalances Kafka
     * Streams refuses such reads even for partitions that stay here, so it is then read as it stands (it is
     * still the newest copy there is).
     */
    private Future<Optional<byte[]>> read(String jobId, int partition, boolean stale) {
        return pool.executeBlocking(() -> {
            if (stale) {
                return stores.recordJson(jobId, partition, true);
            }
            try {
                return stores.recordJson(jobId, partition, false);
            } catch (LocalStores.Unavailable e) {
                return stores.recordJson(jobId, partition, true);
            }
        }, false);
    }

    private Future<Optional<byte[]>> fromArchive(String jobId) {
        if (!JobIds.isWellFormed(jobId)) {
            return Future.succeededFuture(Optional.empty());
        }
        return archive.find(jobId).map(found -> found.map(Json::bytes));
    }

    private static void cancel(CompletableFuture<Void> arrival) {
        if (arrival != null) {
            arrival.cancel(false);
        }
    }

    /** Stops the read pool. */
    public void close() {
        pool.close();
    }
}
