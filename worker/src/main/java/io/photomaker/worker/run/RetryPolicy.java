package io.photomaker.worker.run;

import io.photomaker.common.job.JobFailure;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Decides what follows a failed attempt: retry after a backoff (exponential, equal jitter, capped),
 * dead-letter once attempts are used up, or fail at once for bad input.
 */
public final class RetryPolicy {
    /** What to do with a failed attempt. */
    public enum Action { RETRY, DEAD_LETTER, FAIL }

    /** The decision and, for retries, how long to wait first. */
    public record Decision(Action action, Duration delay) {
    }

    private final int maxAttempts;
    private final long baseMillis;
    private final long capMillis;

    public RetryPolicy(int maxAttempts, Duration base, Duration cap) {
        this.maxAttempts = maxAttempts;
        this.baseMillis = base.toMillis();
        this.capMillis = cap.toMillis();
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public Decision decide(JobFailure failure, int attempt) {
        if (!failure.retryable()) {
            return new Decision(Action.FAIL, Duration.ZERO);
        }
        if (attempt >= maxAttempts) {
            return new Decision(Action.DEAD_LETTER, Duration.ZERO);
        }
        return new Decision(Action.RETRY, Duration.ofMillis(backoffMillis(attempt)));
    }

    /** Half the exponential delay fixed, half random, so retries spread out but never come at once. */
    long backoffMillis(int attempt) {
        long exp = baseMillis << Math.min(attempt - 1, 30);
        long ceiling = Math.min(capMillis, exp < 0 ? capMillis : exp);
        long half = ceiling / 2;
        return half + (half > 0 ? ThreadLocalRandom.current().nextLong(half + 1) : 0);
    }
}
