package io.photomaker.gateway.limits;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Counts long-lived connections (event streams) per process and per tenant, so neither one tenant nor all of
 * them together can hold more than their share of connections and listeners.
 */
public final class StreamSlots {
    private final int perProcess;
    private final int perTenant;
    private final AtomicInteger open = new AtomicInteger();
    private final Map<String, AtomicInteger> byTenant = new ConcurrentHashMap<>();

    public StreamSlots(int perProcess, int perTenant) {
        this.perProcess = perProcess;
        this.perTenant = perTenant;
    }

    /** Why a slot was refused. */
    public enum Refusal { PROCESS_FULL, TENANT_FULL }

    /** A held slot; {@link #close()} frees it, once. */
    public final class Slot implements AutoCloseable {
        private final AtomicInteger tenantCount;
        private boolean closed;

        private Slot(AtomicInteger tenantCount) {
            this.tenantCount = tenantCount;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                tenantCount.decrementAndGet();
                open.decrementAndGet();
            }
        }
    }

    /** The outcome of {@link #tryOpen}: a slot, or why there is none. */
    public record Attempt(Slot slot, Refusal refusal) {
    }

    public Attempt tryOpen(String tenant) {
        if (open.incrementAndGet() > perProcess) {
            open.decrementAndGet();
            return new Attempt(null, Refusal.PROCESS_FULL);
        }
        AtomicInteger mine = byTenant.computeIfAbsent(tenant, t -> new AtomicInteger());
        if (mine.incrementAndGet() > perTenant) {
            mine.decrementAndGet();
            open.decrementAndGet();
            return new Attempt(null, Refusal.TENANT_FULL);
        }
        return new Attempt(new Slot(mine), null);
    }

    public int openCount() {
        return open.get();
    }

    public int perTenant() {
        return perTenant;
    }

    public int perProcess() {
        return perProcess;
    }
}
