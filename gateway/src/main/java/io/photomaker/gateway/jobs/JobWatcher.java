package io.photomaker.gateway.jobs;

import io.photomaker.common.state.JobRecord;
import io.photomaker.gateway.cluster.JobReader;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

/**
 * Lets a request wait, with a time limit, for a job's record to reach a condition (e.g. become terminal):
 * it follows the job's new verdicts on the {@link VerdictFeed} and reads the current record once from the
 * job's owner. Nothing is kept once the wait ends; results arrive on the waiting request's context.
 */
public final class JobWatcher {
    private final Vertx vertx;
    private final VerdictFeed feed;
    private final JobReader reader;

    public JobWatcher(Vertx vertx, VerdictFeed feed, JobReader reader) {
        this.vertx = vertx;
        this.feed = feed;
        this.reader = reader;
    }

    /** Completes with the record once it is terminal, or with the latest record seen (maybe null) at the timeout. */
    public Future<JobRecord> terminal(String jobId, Duration timeout) {
        return until(jobId, r -> r.status().isTerminal(), timeout);
    }

    /** Completes with the first record satisfying {@code condition}, or the latest seen (maybe null) at the timeout. */
    public Future<JobRecord> until(String jobId, Predicate<JobRecord> condition, Duration timeout) {
        Context ctx = vertx.getOrCreateContext();
        Promise<JobRecord> promise = Promise.promise();
        AtomicReference<JobRecord> latest = new AtomicReference<>();
        // Following starts before the read, so a verdict between the two is not missed.
        VerdictFeed.Follow follow = feed.follow(jobId, r -> {
            latest.accumulateAndGet(r, JobWatcher::newer);
            if (condition.test(r)) {
                ctx.runOnContext(v -> promise.tryComplete(r));
            }
        });
        long timer = vertx.setTimer(Math.max(1, timeout.toMillis()), t -> promise.tryComplete(latest.get()));
        reader.find(jobId).onSuccess(found -> found.ifPresent(r -> {
            JobRecord best = latest.accumulateAndGet(r, JobWatcher::newer);
            if (condition.test(best)) {
                promise.tryComplete(best);
            }
        }));
        return promise.future().onComplete(ar -> {
            vertx.cancelTimer(timer);
            follow.close();
        });
    }

    private static JobRecord newer(JobRecord a, JobRecord b) {
        return a == null || b.version() > a.version() ? b : a;
    }
}
