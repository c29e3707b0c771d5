package io.photomaker.gateway.webhook;

import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Delay before the next try of a webhook: the schedule gives the ceiling after the n-th failed try
 * (the last entry repeats), and full jitter picks uniformly between zero and that ceiling so a burst
 * of failures to one receiver does not come back as a burst.
 */
public final class WebhookBackoff {
    private final List<Duration> schedule;
    private final RandomGenerator random;

    public WebhookBackoff(List<Duration> schedule, RandomGenerator random) {
        if (schedule.isEmpty()) {
            throw new IllegalArgumentException("a backoff schedule needs at least one delay");
        }
        this.schedule = List.copyOf(schedule);
        this.random = random;
    }

    /** The longest wait after {@code failedTries} failed tries (1-based). */
    public Duration ceiling(int failedTries) {
        return schedule.get(Math.min(Math.max(failedTries, 1), schedule.size()) - 1);
    }

    /** The wait after {@code failedTries} failed tries, in milliseconds. */
    public long delayMillis(int failedTries) {
        long max = ceiling(failedTries).toMillis();
        return max <= 0 ? 0 : random.nextLong(max + 1);
    }
}
