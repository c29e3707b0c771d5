package io.photomaker.gateway.retention;

import io.photomaker.common.job.JobStatus;
import io.photomaker.common.json.Json;
import io.photomaker.common.logging.JobLogContext;
import io.photomaker.common.state.JobRecord;
import io.photomaker.common.storage.ObjectKeys;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.gateway.timers.Schedule.Entry;
import io.photomaker.gateway.webhook.DeliveryLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out due retention timers against the object store without blocking the state processor's
 * thread: {@link #start} launches the asynchronous deletes or archive write, {@link #drainFinished}
 * hands back what completed so the processor (on its own thread) can clear or reschedule the timer.
 * All work is idempotent, so a timer run twice (after a crash or a rebalance) does no harm.
 */
public final class RetentionWorker {
    private static final Logger LOG = LoggerFactory.getLogger(RetentionWorker.class);
    private static final long OPERATION_TIMEOUT_S = 60;

    /**
     * A finished timer.
     *
     * @param entry the timer
     * @param ok whether the work is done
     * @param archivedVersion for archives, the record version written
     */
    public record Finished(Entry entry, boolean ok, long archivedVersion) {
    }

    private final ObjectStore store;
    private final int maxInFlight;
    private final Set<Entry> inFlight = ConcurrentHashMap.newKeySet();
    private final Queue<Finished> finished = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    public RetentionWorker(ObjectStore store, int maxInFlight) {
        this.store = store;
        this.maxInFlight = maxInFlight;
    }

    /** Starts the work of {@code entry} unless it is already running; {@code record} is needed to archive. */
    public boolean start(Entry entry, JobRecord record) {
        if (closed || inFlight.size() >= maxInFlight || !inFlight.add(entry)) {
            return false;
        }
        CompletableFuture<Long> work;
        try {
            work = run(entry, record);
        } catch (RuntimeException e) {
            work = CompletableFuture.failedFuture(e);
        }
        work.orTimeout(OPERATION_TIMEOUT_S, TimeUnit.SECONDS).whenComplete((version, e) -> {
            if (e != null) {
                try (JobLogContext l = JobLogContext.open(entry.jobId(), tenantOf(record))) {
                    LOG.warn("retention {} of {} failed, will retry: {}", entry.kind(), entry.jobId(), e.toString());
                }
            }
            if (!closed) {
                finished.add(new Finished(entry, e == null, e == null ? version : -1));
            }
            inFlight.remove(entry);
        });
        return true;
    }

    /** Work completed since the last call. */
    public List<Finished> drainFinished() {
        List<Finished> out = new ArrayList<>();
        for (Finished f = finished.poll(); f != null; f = finished.poll()) {
            out.add(f);
        }
        return out;
    }

    /** Stops reporting; work already started completes on its own. */
    public void close() {
        closed = true;
        finished.clear();
    }

    private static String tenantOf(JobRecord record) {
        return record == null ? null : record.tenant();
    }

    private CompletableFuture<Long> run(Entry e, JobRecord record) {
        String id = e.jobId();
        String tenant = tenantOf(record);
        return switch (e.kind()) {
            case DELETE_INPUTS -> deleted(id, tenant, store.deletePrefix(ObjectKeys.inputPrefix(id)), "ID photos");
            case DELETE_OUTPUTS -> deleted(id, tenant, store.deletePrefix(ObjectKeys.outputPrefix(id)), "outputs");
            case ARCHIVE -> archive(record);
            case EXPIRE -> CompletableFuture.failedFuture(new IllegalArgumentException("expiry is not retention"));
        };
    }

    private static CompletableFuture<Long> deleted(String jobId, String tenant, CompletableFuture<Integer> op,
                                                   String what) {
        return op.thenApply(n -> {
            if (n > 0) {
                try (JobLogContext l = JobLogContext.open(jobId, tenant)) {
                    LOG.info("deleted {} {} of job {}", n, what, jobId);
                }
            }
            return 0L;
        });
    }

    private CompletableFuture<Long> archive(JobRecord r) {
        String id = r.id();
        CompletableFuture<Void> sweep = CompletableFuture.allOf(
                store.deletePrefix(ObjectKeys.inputPrefix(id)),
                store.deletePrefix(DeliveryLog.prefix(id)),
                r.status() == JobStatus.SUCCEEDED ? CompletableFuture.completedFuture(0)
                        : store.deletePrefix(ObjectKeys.outputPrefix(id)));
        return sweep.thenCompose(v -> store.put(ObjectKeys.archivedJob(id), Json.bytes(r), "application/json"))
                .thenApply(v -> {
                    try (JobLogContext l = JobLogContext.open(id, r.tenant())) {
                        LOG.info("archived job {} at version {}", id, r.version());
                    }
                    return r.version();
                });
    }
}
