package io.photomaker.gateway.jobs;

import io.photomaker.common.state.JobRecord;
import io.photomaker.common.state.JobStateView;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Lets requests wait, with a time limit, for a job's record to reach a condition (appear, become
 * terminal). One view listener serves all waiters; a waiter is removed when it is satisfied or times out,
 * so ids that never appear leave nothing behind. Results are delivered on the waiting request's context.
 */
public final class JobWatcher implements AutoCloseable {
    private final Vertx vertx;
    private final JobStateView view;
    private final Map<String, List<Waiter>> waiters = new ConcurrentHashMap<>();
    private final Consumer<JobRecord> listener = this::onRecord;

    public JobWatcher(Vertx vertx, JobStateView view) {
        this.vertx = vertx;
        this.view = view;
        view.addListener(listener);
    }

    /** Completes with the record once it exists, or with null when {@code timeout} passes first. */
    public Future<JobRecord> appeared(String jobId, Duration timeout) {
        return await(jobId, r -> true, timeout);
    }

    /** Completes with the record once it is terminal, or with the latest record (maybe null) at the timeout. */
    public Future<JobRecord> terminal(String jobId, Duration timeout) {
        return await(jobId, r -> r.status().isTerminal(), timeout);
    }

    private Future<JobRecord> await(String jobId, Predicate<JobRecord> condition, Duration timeout) {
        JobRecord now = view.get(jobId).orElse(null);
        if (now != null && condition.test(now)) {
            return Future.succeededFuture(now);
        }
        Context ctx = vertx.getOrCreateContext();
        Promise<JobRecord> promise = Promise.promise();
        Waiter w = new Waiter(condition, promise, ctx);
        waiters.computeIfAbsent(jobId, k -> new CopyOnWriteArrayList<>()).add(w);
        long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), t -> {
            remove(jobId, w);
            w.finish(view.get(jobId).orElse(null));
        });
        // A record that arrived between the first look and the registration must not be missed.
        JobRecord raced = view.get(jobId).orElse(null);
        if (raced != null && condition.test(raced)) {
            remove(jobId, w);
            w.finish(raced);
        }
        return promise.future().onComplete(ar -> vertx.cancelTimer(timer));
    }

    private void onRecord(JobRecord r) {
        List<Waiter> list = waiters.get(r.id());
        if (list == null) {
            return;
        }
        for (Waiter w : list) {
            if (w.condition.test(r)) {
                remove(r.id(), w);
                w.finish(r);
            }
        }
    }

    private void remove(String jobId, Waiter w) {
        waiters.computeIfPresent(jobId, (k, list) -> {
            list.remove(w);
            return list.isEmpty() ? null : list;
        });
    }

    /** Waiters currently registered (for tests and metrics). */
    public int waiting() {
        return waiters.values().stream().mapToInt(List::size).sum();
    }

    @Override
    public void close() {
        view.removeListener(listener);
    }

    private record Waiter(Predicate<JobRecord> condition, Promise<JobRecord> promise, Context ctx) {
        void finish(JobRecord r) {
            ctx.runOnContext(v -> promise.tryComplete(r));
        }
    }
}
