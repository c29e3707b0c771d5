package io.photomaker.gateway.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.gateway.state.LifecycleConfig;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WebhookBackoffTest {
    private final WebhookBackoff backoff = new WebhookBackoff(LifecycleConfig.DEFAULT_BACKOFF, new Random(7));

    @Test
    void the_ceilings_follow_the_schedule_and_the_last_one_repeats() {
        assertEquals(Duration.ofSeconds(5), backoff.ceiling(1));
        assertEquals(Duration.ofMinutes(5), backoff.ceiling(2));
        assertEquals(Duration.ofMinutes(30), backoff.ceiling(3));
        assertEquals(Duration.ofHours(2), backoff.ceiling(4));
        assertEquals(Duration.ofHours(10), backoff.ceiling(6));
        assertEquals(Duration.ofHours(10), backoff.ceiling(12));
    }

    @Test
    void full_jitter_stays_between_zero_and_the_ceiling_and_spreads_across_it() {
        long ceiling = Duration.ofMinutes(5).toMillis();
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 2000; i++) {
            long d = backoff.delayMillis(2);
            assertTrue(d >= 0 && d <= ceiling, "delay " + d);
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertTrue(min < ceiling / 10, "jitter never went low: " + min);
        assertTrue(max > ceiling * 9 / 10, "jitter never went high: " + max);
    }
}
