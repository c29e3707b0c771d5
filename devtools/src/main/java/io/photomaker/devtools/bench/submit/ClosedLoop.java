package io.photomaker.devtools.bench.submit;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Runs an asynchronous operation in a closed loop: a fixed number in flight, each completion starting the
 * next, for a fixed time. Measures completions per second and CPU per completion on a given CPU clock
 * (the benchmark's clock adds up the JVMs that serve the operation and leaves out its load generator).
 * A paced round also starts operations no faster than a given rate (the k-th not before k / rate seconds
 * into the round), so two systems can be compared at the same load instead of each at its own maximum.
 */
final class ClosedLoop implements AutoCloseable {
    private final int inFlight;
    private final LongSupplier cpuNanos;
    private final PrintStream out;
    private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "benchmark pacer");
        t.setDaemon(true);
        return t;
    });

    /** What one round measured. */
    record Round(long done, double perSecond, double cpuMsEach) {
        static Round of(long done, double seconds, long cpuNanos) {
            return new Round(done, done / seconds, cpuNanos / 1e6 / Math.max(1, done));
        }

        String line(String label) {
            return String.format(Locale.ROOT, "%s: %d in %.1f s = %.0f/s, %.2f ms CPU each", label, done,
                    done / perSecond, perSecond, cpuMsEach);
        }
    }

    ClosedLoop(int inFlight, LongSupplier cpuNanos, PrintStream out) {
        this.inFlight = inFlight;
        this.cpuNanos = cpuNanos;
        this.out = out;
    }

    /** As fast as the operation allows. */
    Round run(String label, Supplier<CompletableFuture<?>> op, long millis) throws InterruptedException {
        return run(label, op, millis, 0);
    }

    /** Paced at {@code perSecond} operations a second at most; 0 for as fast as the operation allows. */
    Round run(String label, Supplier<CompletableFuture<?>> op, long millis, double perSecond)
            throws InterruptedException {
        long cpu0 = cpuNanos.getAsLong();
        long t0 = System.nanoTime();
        Chains chains = new Chains(op, t0 + TimeUnit.MILLISECONDS.toNanos(millis), new Pace(t0, perSecond));
        for (int i = 0; i < inFlight; i++) {
            chains.next();
        }
        if (!chains.finished.await(millis + 60_000, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(label + ": operations still running a minute after the round ended");
        }
        Round r = Round.of(chains.done.get(), (System.nanoTime() - t0) / 1e9, cpuNanos.getAsLong() - cpu0);
        if (chains.failed.get() > 0) {
            throw new IllegalStateException(label + ": " + chains.failed.get() + " operations failed");
        }
        return r;
    }

    /** The {@code inFlight} chains of one round: each completion starts the chain's next operation. */
    private final class Chains {
        private final Supplier<CompletableFuture<?>> op;
        private final long end;
        private final Pace pace;
        private final AtomicLong done = new AtomicLong();
        private final AtomicInteger failed = new AtomicInteger();
        private final CountDownLatch finished = new CountDownLatch(inFlight);

        Chains(Supplier<CompletableFuture<?>> op, long end, Pace pace) {
            this.op = op;
            this.end = end;
            this.pace = pace;
        }

        /** Starts a chain's next operation at its slot, or ends the chain when that falls after the round. */
        void next() {
            long now = System.nanoTime();
            long at = Math.max(now, pace.nextSlot());
            if (at >= end) {
                finished.countDown();
            } else if (at > now) {
                pacer.schedule(this::start, at - now, TimeUnit.NANOSECONDS);
            } else {
                start();
            }
        }

        private void start() {
            op.get().whenComplete((r, e) -> {
                if (e == null) {
                    done.incrementAndGet();
                } else if (failed.incrementAndGet() < 3) {
                    out.println("failure: " + e);
                }
                next();
            });
        }
    }

    /** Start times of a paced round: the k-th operation not before {@code t0 + k / perSecond}. */
    static final class Pace {
        private final long t0;
        private final double periodNanos;
        private final AtomicLong issued = new AtomicLong();

        Pace(long t0, double perSecond) {
            this.t0 = t0;
            this.periodNanos = perSecond > 0 ? 1e9 / perSecond : 0;
        }

        /** The earliest start time of the next operation (every call hands out the next slot). */
        long nextSlot() {
            return periodNanos == 0 ? t0 : t0 + (long) (issued.getAndIncrement() * periodNanos);
        }
    }

    @Override
    public void close() {
        pacer.shutdownNow();
    }

    /** CPU time of this whole process. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** CPU time of this process without the thread {@code excluded} (a load generator), or all of it for -1. */
    static long processCpuNanosWithout(long excluded) {
        long client = excluded < 0 ? 0 : Math.max(0, ManagementFactory.getThreadMXBean().getThreadCpuTime(excluded));
        return processCpuNanos() - client;
    }
}
