package io.photomaker.gateway.state;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Lets the owner of a job's partition wait for the job's record to be written by this process's state
 * processor: a GET for a just-created id that has not arrived yet waits here instead of answering 404. The
 * processor calls {@link #arrived} after every record it stores (one map lookup); waiters are removed when
 * they are satisfied or given up.
 */
public final class RecordArrivals {
    private final Map<String, List<CompletableFuture<Void>>> waiters = new ConcurrentHashMap<>();

    /** Completes once a record of {@code jobId} has been stored; cancel it to stop waiting. */
    public CompletableFuture<Void> next(String jobId) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        waiters.computeIfAbsent(jobId, k -> new CopyOnWriteArrayList<>()).add(f);
        f.whenComplete((v, e) -> waiters.computeIfPresent(jobId, (k, list) -> {
            list.remove(f);
            return list.isEmpty() ? null : list;
        }));
        return f;
    }

    void arrived(String jobId) {
        if (waiters.isEmpty()) {
            return;
        }
        List<CompletableFuture<Void>> list = waiters.get(jobId);
        if (list != null) {
            list.forEach(f -> f.complete(null));
        }
    }

    /** Waiters currently registered. */
    public int waiting() {
        return waiters.values().stream().mapToInt(List::size).sum();
    }
}
