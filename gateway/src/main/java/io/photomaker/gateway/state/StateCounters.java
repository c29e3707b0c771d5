package io.photomaker.gateway.state;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What the state processor did with the events it read, as {@code photomaker_state_events_total{outcome}}
 * and as plain numbers for health checks and tests.
 */
public final class StateCounters {
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong duplicate = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    private final Counter acceptedMeter;
    private final Counter duplicateMeter;
    private final Counter rejectedMeter;
    private final Counter unreadableMeter;

    public StateCounters(MeterRegistry registry) {
        acceptedMeter = counter(registry, "accepted");
        duplicateMeter = counter(registry, "duplicate");
        rejectedMeter = counter(registry, "rejected");
        unreadableMeter = counter(registry, "unreadable");
    }

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder("photomaker.state.events").description("Job events applied by the state processor")
                .tag("outcome", outcome).register(registry);
    }

    void onAccepted() {
        accepted.incrementAndGet();
        acceptedMeter.increment();
    }

    void onDuplicate() {
        duplicate.incrementAndGet();
        duplicateMeter.increment();
    }

    void onRejected() {
        rejected.incrementAndGet();
        rejectedMeter.increment();
    }

    void onUnreadable() {
        unreadable.incrementAndGet();
        unreadableMeter.increment();
    }

    /** Events that changed a verdict. */
    public long accepted() {
        return accepted.get();
    }

    /** Events accepted as duplicates that changed nothing. */
    public long duplicates() {
        return duplicate.get();
    }

    /** Events the state machine refused (stale, out of order, after the end). */
    public long rejected() {
        return rejected.get();
    }

    /** Records that were not readable job events. */
    public long unreadable() {
        return unreadable.get();
    }
}
