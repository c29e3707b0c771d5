package io.photomaker.gateway.jobs;

import io.photomaker.common.job.JobStatus;
import io.photomaker.common.state.JobRecord;
import io.photomaker.common.state.JobStateView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Consumer;

/**
 * Indexes over the state view that requests need fast: each tenant's jobs newest first, the queued and
 * running jobs in submission order. Kept current by a view listener; job ids sort by creation time, so
 * id order is submission order.
 */
public final class JobIndex implements AutoCloseable {
    private final JobStateView view;
    private final long snapshotMillis;
    private final Map<String, ConcurrentSkipListMap<String, JobStatus>> byTenant = new ConcurrentHashMap<>();
    private final Map<String, Long> versions = new ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> activeByTenant = new ConcurrentHashMap<>();
    private final ConcurrentSkipListSet<String> queued = new ConcurrentSkipListSet<>();
    private volatile QueueSnapshot snapshot = new QueueSnapshot(new String[0], 0, 0);
    private volatile long queueChanges;
    private final ConcurrentSkipListSet<String> running = new ConcurrentSkipListSet<>();
    private final List<Consumer<JobRecord>> seenListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Consumer<JobRecord> listener = this::update;

    public JobIndex(JobStateView view) {
        this(view, 200);
    }

    /** With the queue snapshot refreshed at most every {@code snapshotMillis} (tests use 0). */
    JobIndex(JobStateView view, long snapshotMillis) {
        this.view = view;
        this.snapshotMillis = snapshotMillis;
        view.addListener(listener);
        view.all().forEach(this::update);
    }

    /** Calls {@code l} on the view's thread for every record the index takes in. */
    public void onRecord(Consumer<JobRecord> l) {
        seenListeners.add(l);
    }

    void update(JobRecord r) {
        synchronized (this) {
            Long seen = versions.get(r.id());
            if (seen != null && seen > r.version()) {
                return;
            }
            versions.put(r.id(), r.version());
            JobStatus before = byTenant.computeIfAbsent(r.tenant(), t -> new ConcurrentSkipListMap<>())
                    .put(r.id(), r.status());
            int delta = (r.status().isTerminal() ? 0 : 1) - (before == null || before.isTerminal() ? 0 : 1);
            if (delta != 0) {
                activeByTenant.computeIfAbsent(r.tenant(), t -> new java.util.concurrent.atomic.AtomicInteger())
                        .addAndGet(delta);
            }
            place(r.id(), r.status());
        }
        for (Consumer<JobRecord> l : seenListeners) {
            l.accept(r);
        }
    }

    private void place(String id, JobStatus status) {
        boolean changed = status == JobStatus.QUEUED ? queued.add(id) : queued.remove(id);
        if (changed) {
            queueChanges++;
        }
        if (status == JobStatus.RUNNING) {
            running.add(id);
        } else {
            running.remove(id);
        }
    }

    /**
     * 1-based place of a queued job among all queued jobs, or 0 when it is not queued. Read from a sorted
     * snapshot rebuilt at most every 200 ms, so a GET costs a binary search, not a
     * walk over the whole queue; the position may lag the queue by that much.
     */
    public int queuePosition(String jobId) {
        if (!queued.contains(jobId)) {
            return 0;
        }
        QueueSnapshot s = snapshot;
        long now = System.currentTimeMillis();
        if (s.changes != queueChanges && now - s.builtAt >= snapshotMillis) {
            s = new QueueSnapshot(queued.toArray(new String[0]), now, queueChanges);
            snapshot = s;
        }
        int at = java.util.Arrays.binarySearch(s.ids, jobId);
        return (at >= 0 ? at : -at - 1) + 1;
    }

    /** The queued ids in order at one moment. */
    private record QueueSnapshot(String[] ids, long builtAt, long changes) {
    }

    public int queuedCount() {
        return queued.size();
    }

    public int runningCount() {
        return running.size();
    }

    /** Queued plus running jobs of {@code tenant} in the view. */
    public int activeCount(String tenant) {
        var n = activeByTenant.get(tenant);
        return n == null ? 0 : n.get();
    }

    /**
     * Up to {@code limit} of the tenant's jobs, newest first, older than {@code afterId} when it is given,
     * optionally only those in {@code status}. Jobs removed from the view are skipped.
     */
    public List<JobRecord> list(String tenant, JobStatus status, String afterId, int limit) {
        var jobs = byTenant.get(tenant);
        List<JobRecord> out = new ArrayList<>();
        if (jobs == null) {
            return out;
        }
        NavigableMap<String, JobStatus> newestFirst = afterId == null
                ? jobs.descendingMap() : jobs.headMap(afterId, false).descendingMap();
        for (var e : newestFirst.entrySet()) {
            if (status != null && e.getValue() != status) {
                continue;
            }
            JobRecord r = view.get(e.getKey()).orElse(null);
            if (r == null || !tenant.equals(r.tenant())) {
                continue;
            }
            out.add(r);
            if (out.size() >= limit) {
                break;
            }
        }
        return out;
    }

    @Override
    public void close() {
        view.removeListener(listener);
    }
}
