package io.photomaker.gateway.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Runs an asynchronous operation in a closed loop: a fixed number in flight, each completion starting the
 * next, for a fixed time. Measures completions per second and CPU per completion on a given CPU clock
 * (the benchmark's clock adds up the JVMs that serve the operation and leaves out its load generator).
 */
final class ClosedLoop {
    private final int inFlight;
    private final LongSupplier cpuNanos;
    private final PrintStream out;

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

    Round run(String label, Supplier<CompletableFuture<?>> op, long millis) throws InterruptedException {
        AtomicLong done = new AtomicLong();
        AtomicInteger failed = new AtomicInteger();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        CountDownLatch finished = new CountDownLatch(inFlight);
        long cpu0 = cpuNanos.getAsLong();
        long t0 = System.nanoTime();
        for (int i = 0; i < inFlight; i++) {
            next(op, end, done, failed, finished);
        }
        if (!finished.await(millis + 60_000, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(label + ": operations still running a minute after the round ended");
        }
        Round r = Round.of(done.get(), (System.nanoTime() - t0) / 1e9, cpuNanos.getAsLong() - cpu0);
        if (failed.get() > 0) {
            throw new IllegalStateException(label + ": " + failed.get() + " operations failed");
        }
        return r;
    }

    private void next(Supplier<CompletableFuture<?>> op, long end, AtomicLong done, AtomicInteger failed,
                      CountDownLatch finished) {
        if (System.nanoTime() >= end) {
            finished.countDown();
            return;
        }
        op.get().whenComplete((r, e) -> {
            if (e == null) {
                done.incrementAndGet();
            } else if (failed.incrementAndGet() < 3) {
                out.println("failure: " + e);
            }
            next(op, end, done, failed, finished);
        });
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
