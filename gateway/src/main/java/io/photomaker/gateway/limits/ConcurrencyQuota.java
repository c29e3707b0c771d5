package io.photomaker.gateway.limits;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * Caps each tenant's unfinished jobs (queued plus running). The state view counts jobs it knows; this
 * class adds submissions still in flight on this replica and accepted jobs the view has not shown yet, so
 * a burst cannot slip past the cap while verdicts are on their way.
 */
public final class ConcurrencyQuota {
    private static final long UNSEEN_GRACE_MILLIS = 60_000;

    private final int max;
    private final ToIntFunction<String> activeInView;
    private final Predicate<String> knownToView;
    private final LongSupplier clock;
    private final Map<String, TenantSlots> tenants = new ConcurrentHashMap<>();

    /**
     * @param max most unfinished jobs per tenant
     * @param activeInView queued plus running jobs of a tenant that the state view knows
     * @param knownToView whether the view already has a job id
     */
    public ConcurrencyQuota(int max, ToIntFunction<String> activeInView, Predicate<String> knownToView) {
        this(max, activeInView, knownToView, System::currentTimeMillis);
    }

    public ConcurrencyQuota(int max, ToIntFunction<String> activeInView, Predicate<String> knownToView,
                            LongSupplier clockMillis) {
        this.max = max;
        this.activeInView = activeInView;
        this.knownToView = knownToView;
        this.clock = clockMillis;
    }

    /** A slot for one more job of {@code tenant}, or null when the tenant is at its cap. */
    public Reservation tryReserve(String tenant) {
        TenantSlots slots = tenants.computeIfAbsent(tenant, t -> new TenantSlots());
        synchronized (slots) {
            slots.expire(clock.getAsLong());
            int used = activeInView.applyAsInt(tenant) + slots.inFlight + slots.unseen.size();
            if (used >= max) {
                return null;
            }
            slots.inFlight++;
            return new Reservation(slots);
        }
    }

    /** The view now knows {@code jobId}: it counts there, so stop counting it here. */
    public void seen(String tenant, String jobId) {
        TenantSlots slots = tenants.get(tenant);
        if (slots != null) {
            synchronized (slots) {
                slots.unseen.remove(jobId);
            }
        }
    }

    public int max() {
        return max;
    }

    private final class TenantSlots {
        int inFlight;
        /** Accepted jobs the view has not shown yet, oldest first. */
        final Map<String, Long> unseen = new LinkedHashMap<>();

        /** Drops entries past their grace period; only the expired ones at the front are visited. */
        void expire(long now) {
            Iterator<Long> oldestFirst = unseen.values().iterator();
            while (oldestFirst.hasNext() && now - oldestFirst.next() > UNSEEN_GRACE_MILLIS) {
                oldestFirst.remove();
            }
        }
    }

    /** One reserved slot; exactly one of {@link #commit} or {@link #release} ends it. */
    public final class Reservation {
        private final TenantSlots slots;
        private boolean done;

        private Reservation(TenantSlots slots) {
            this.slots = slots;
        }

        /** The job was accepted: it holds the slot until the view shows it. */
        public void commit(String jobId) {
            synchronized (slots) {
                if (!done) {
                    done = true;
                    slots.inFlight--;
                    // The verdict may already have overtaken this commit; then the view counts it.
                    if (!knownToView.test(jobId)) {
                        slots.unseen.put(jobId, clock.getAsLong());
                    }
                }
            }
        }

        /** The submission failed: the slot is free again. */
        public void release() {
            synchronized (slots) {
                if (!done) {
                    done = true;
                    slots.inFlight--;
                }
            }
        }
    }
}
