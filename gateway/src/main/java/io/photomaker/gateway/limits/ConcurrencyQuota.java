package io.photomaker.gateway.limits;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Caps each tenant's unfinished jobs (queued plus running) across the whole cluster. The state processors
 * count every tenant's unfinished jobs and publish the counts ({@link UsageView}); this gateway adds what it
 * knows and they do not yet: submissions in flight here, and jobs it accepted whose submitted event the
 * counts do not cover yet (a watermark per partition says which). Of the headroom left, each of the R live
 * gateways admits at most a 1/R share (rounded up) until its own jobs are counted, so the cluster holds at
 * most {@code max + R - 1} unfinished jobs per tenant even when every gateway admits a burst at once (the
 * counts reach every gateway within about a second; see gateway/README.md).
 */
public final class ConcurrencyQuota {
    /** An accepted job the counts never cover (its partition's processor is away) stops counting here after this. */
    private static final long UNCOUNTED_GRACE_MILLIS = 60_000;

    private final int max;
    private final UsageView cluster;
    private final LongSupplier clock;
    private final Map<String, TenantSlots> tenants = new ConcurrentHashMap<>();

    public ConcurrencyQuota(int max, UsageView cluster) {
        this(max, cluster, System::currentTimeMillis);
    }

    public ConcurrencyQuota(int max, UsageView cluster, LongSupplier clockMillis) {
        this.max = max;
        this.cluster = cluster;
        this.clock = clockMillis;
    }

    /** A slot for one more job of {@code tenant}, or null when the tenant is at its cap (or this gateway's share). */
    public Reservation tryReserve(String tenant) {
        TenantSlots slots = tenants.computeIfAbsent(tenant, t -> new TenantSlots());
        synchronized (slots) {
            slots.forgetCounted(clock.getAsLong());
            long counted = cluster.unfinished(tenant);
            int mine = slots.inFlight + slots.uncounted.size();
            if (counted + mine >= max || mine >= share(max - counted, cluster.gateways())) {
                return null;
            }
            slots.inFlight++;
            return new Reservation(slots);
        }
    }

    /** This gateway's share of {@code headroom} among {@code gateways}: at least 1 while any headroom is left. */
    static long share(long headroom, int gateways) {
        return headroom <= 0 ? 0 : (headroom + gateways - 1) / gateways;
    }

    public int max() {
        return max;
    }

    /** Where an accepted job's submitted event landed. */
    private record Uncounted(int partition, long offset, long acceptedAt) {
    }

    private final class TenantSlots {
        int inFlight;
        /** Accepted jobs the cluster counts do not cover yet, oldest first. */
        final Map<String, Uncounted> uncounted = new LinkedHashMap<>();

        void forgetCounted(long now) {
            Iterator<Uncounted> oldestFirst = uncounted.values().iterator();
            while (oldestFirst.hasNext()) {
                Uncounted u = oldestFirst.next();
                if (cluster.counted(u.partition(), u.offset()) || now - u.acceptedAt() > UNCOUNTED_GRACE_MILLIS) {
                    oldestFirst.remove();
                }
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

        /**
         * The job was accepted and its submitted event sits at {@code offset} in job-event partition
         * {@code partition}: it holds the slot here until the cluster counts cover it.
         */
        public void commit(String jobId, int partition, long offset) {
            synchronized (slots) {
                if (!done) {
                    done = true;
                    slots.inFlight--;
                    if (!cluster.counted(partition, offset)) {
                        slots.uncounted.put(jobId, new Uncounted(partition, offset, clock.getAsLong()));
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
