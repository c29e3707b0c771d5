package io.photomaker.common.image;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The memory all image decodes of a process may hold at once. Each decode reserves its {@link DecodeCost} before
 * it starts and returns it when done; a decode that would need more than the whole budget is refused as too
 * large, and one that does not find room within its wait is refused as busy. So a burst of hostile files costs
 * at most the budget, never the heap.
 */
public final class DecodeBudget {
    private static final int UNIT = 1024;
    private static final long MIN_BYTES = 16L << 20;
    private static volatile DecodeBudget shared;

    private final long capacityBytes;
    private final Semaphore units;

    private DecodeBudget(long capacityBytes) {
        if (capacityBytes < MIN_BYTES || capacityBytes / UNIT > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a decode budget must be " + MIN_BYTES + " bytes .. 2 TiB, was "
                    + capacityBytes);
        }
        this.capacityBytes = capacityBytes;
        this.units = new Semaphore((int) (capacityBytes / UNIT), true);
    }

    /** A budget of {@code bytes}. */
    public static DecodeBudget ofBytes(long bytes) {
        return new DecodeBudget(bytes);
    }

    /** The default size: a quarter of the largest heap this JVM may grow to, at least 16 MiB. */
    public static long defaultBytes() {
        return Math.max(MIN_BYTES, Runtime.getRuntime().maxMemory() / 4);
    }

    /** The process's budget for decodes that are not handed one ({@link ImageDecoder}), of the default size. */
    public static DecodeBudget shared() {
        DecodeBudget b = shared;
        if (b == null) {
            synchronized (DecodeBudget.class) {
                if (shared == null) {
                    shared = new DecodeBudget(defaultBytes());
                }
                b = shared;
            }
        }
        return b;
    }

    public long capacityBytes() {
        return capacityBytes;
    }

    /** Bytes not reserved right now. */
    public long availableBytes() {
        return (long) units.availablePermits() * UNIT;
    }

    /**
     * Reserves {@code bytes}, waiting at most {@code wait} for earlier decodes to finish.
     *
     * @throws ImageRejected {@code image_too_large} when the decode needs more than the whole budget
     * @throws Busy when the budget stays taken for the whole wait
     */
    public Reservation reserve(long bytes, Duration wait) {
        if (bytes > capacityBytes) {
            throw new ImageRejected(ImageRejected.Reason.IMAGE_TOO_LARGE, "decoding it would take about "
                    + mib(bytes) + " MiB of memory; this server decodes images of at most " + mib(capacityBytes)
                    + " MiB");
        }
        int n = (int) Math.max(1, (bytes + UNIT - 1) / UNIT);
        try {
            if (!units.tryAcquire(n, wait.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new Busy();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Busy();
        }
        return new Reservation(n);
    }

    private static long mib(long bytes) {
        return (bytes + (1 << 20) - 1) >> 20;
    }

    /** Memory held for one decode; closing it gives the memory back (once). */
    public final class Reservation implements AutoCloseable {
        private final int held;
        private boolean released;

        private Reservation(int held) {
            this.held = held;
        }

        @Override
        public void close() {
            if (!released) {
                released = true;
                units.release(held);
            }
        }
    }

    /** Other decodes held the budget for the whole wait: the image may be fine, try again later. */
    public static final class Busy extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Busy() {
            super("other images are being decoded; try again shortly", null, false, false);
        }
    }
}
