package io.photomaker.gateway.limits;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The request body bytes this process holds at once, over all requests. A request reserves memory as its body
 * grows and gives all of it back when the request ends; a request that finds the budget spent is refused, so
 * many slow or large uploads together cannot take more than the budget. Lock-free: it runs on event loops.
 */
public final class BodyBudget {
    private final long capacity;
    private final AtomicLong used = new AtomicLong();

    public BodyBudget(long capacityBytes) {
        if (capacityBytes < 1) {
            throw new IllegalArgumentException("a body budget must be positive");
        }
        this.capacity = capacityBytes;
    }

    public long capacityBytes() {
        return capacity;
    }

    /** Bytes reserved right now. */
    public long usedBytes() {
        return used.get();
    }

    /** A reservation for one request, empty until it grows. */
    public Hold hold() {
        return new Hold();
    }

    private boolean tryTake(long bytes) {
        while (true) {
            long now = used.get();
            if (now + bytes > capacity) {
                return false;
            }
            if (used.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    /** What one request holds; {@link #release()} gives it all back, once. */
    public final class Hold {
        private long held;
        private boolean released;

        /** Takes {@code bytes} more; false (and nothing taken) when the budget cannot spare them. */
        public synchronized boolean grow(long bytes) {
            if (released || !tryTake(bytes)) {
                return false;
            }
            held += bytes;
            return true;
        }

        public synchronized long heldBytes() {
            return held;
        }

        public synchronized void release() {
            if (!released) {
                released = true;
                used.addAndGet(-held);
                held = 0;
            }
        }
    }
}
