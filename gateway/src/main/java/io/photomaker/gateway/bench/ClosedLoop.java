package io.photomaker.gateway.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Runs an asynchronous operation in a closed loop: a fixed number in flight, each completion starting the
 * next, for a fixed time. Measures completions per second and the process's CPU per completion, leaving
 * out the load generator's own thread (it would run on another machine in production).
 */
final class ClosedLoop {
    private final int inFlight;
    private final long clientThread;
    private final boolean breakdown;
    private final PrintStream out;

    /** What one round measured. */
    record Round(long done, double perSecond, double cpuMsEach) {
    }

    /**
     * @param clientThread the id of the load generator's thread, whose CPU is not counted; -1 for none
     * @param breakdown print where each round's CPU went (see {@link CpuBreakdown})
     */
    ClosedLoop(int inFlight, long clientThread, boolean breakdown, PrintStream out) {
        this.inFlight = inFlight;
        this.clientThread = clientThread;
        this.breakdown = breakdown;
        this.out = out;
    }

    Round run(String label, Supplier<CompletableFuture<?>> op, long millis) throws InterruptedException {
        AtomicLong done = new AtomicLong();
        AtomicInteger failed = new AtomicInteger();
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        CountDownLatch finished = new CountDownLatch(inFlight);
        CpuBreakdown before = breakdown ? CpuBreakdown.take(clientThread) : null;
        long cpu0 = cpuWithoutClient();
        long t0 = System.nanoTime();
        for (int i = 0; i < inFlight; i++) {
            next(op, end, done, failed, finished);
        }
        if (!finished.await(millis + 60_000, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(label + ": operations still running a minute after the round ended");
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        long n = done.get();
        Round r = new Round(n, n / seconds, (cpuWithoutClient() - cpu0) / 1e6 / Math.max(1, n));
        out.printf(Locale.ROOT, "%s: %d in %.1f s = %.0f/s, %.2f ms CPU each (%d failed)%n", label, n, seconds,
                r.perSecond(), r.cpuMsEach(), failed.get());
        if (before != null) {
            CpuBreakdown.take(clientThread).print(before, n, out);
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

    private long cpuWithoutClient() {
        long client = clientThread < 0 ? 0 : Math.max(0, ManagementFactory.getThreadMXBean()
                .getThreadCpuTime(clientThread));
        return processCpuNanos() - client;
    }

    /** CPU time of the whole process. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
