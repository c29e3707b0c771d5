package io.photomaker.devtools.bench.worker;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A stand-in for one GPU: each model call holds the device for a configured time while the calling thread
 * sleeps (spinning only the last 2 ms, as CUDA's synchronisation spins), so the CPU is free meanwhile, as it
 * is while a GPU kernel runs. The call's own small result
 * (a "kernel" run inside the hold) counts as device time. Busy time is the sum of the holds' set times
 * (or of the kernels', when longer); the calling thread's late wake-up after a hold counts as idle time, as
 * a real device would wait for its host then.
 */
public final class SimulatedDevice {

    /**
     * Device time per model call.
     *
     * @param unetPerGuidedOutput one UNet call for one output with classifier-free guidance (a batch of 2)
     */
    public record Timings(Duration unetPerGuidedOutput, Duration vaeDecode, Duration idEncode) {
        /** In the spirit of an H100 at 1024x1024: 40 ms per UNet call at batch 2, 150 ms VAE decode, 30 ms ID encoding. */
        static Timings h100() {
            return new Timings(Duration.ofMillis(40), Duration.ofMillis(150), Duration.ofMillis(30));
        }
    }

    /** The calling thread sleeps through a hold but spins its last part, as CUDA's synchronisation spins. */
    private static final long SPIN_NANOS = 2_000_000;

    private final Timings timings;
    private final ReentrantLock lock = new ReentrantLock(true);
    private long busyNanos;
    private long calls;
    private long lastReleaseNanos;
    private long idleBeforeJobsNanos;
    private long idleWithinJobsNanos;

    SimulatedDevice(Timings timings) {
        this.timings = timings;
    }

    Timings timings() {
        return timings;
    }

    /**
     * Holds the device for {@code duration} (or as long as {@code kernel} takes, if longer), running it first.
     * {@code startsJob} says whether this is a job's first call, so that idle time before it counts as time
     * between jobs rather than within one.
     */
    void hold(Duration duration, boolean startsJob, Runnable kernel) {
        lock.lock();
        try {
            long start = System.nanoTime();
            if (lastReleaseNanos != 0) {
                if (startsJob) {
                    idleBeforeJobsNanos += start - lastReleaseNanos;
                } else {
                    idleWithinJobsNanos += start - lastReleaseNanos;
                }
            }
            kernel.run();
            long kernelEnd = System.nanoTime();
            long end = start + duration.toNanos();
            for (long left = end - SPIN_NANOS - System.nanoTime(); left > 0; left = end - SPIN_NANOS - System.nanoTime()) {
                LockSupport.parkNanos(left);
            }
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
            // The device works until the later of its set time and the kernel's end; the host thread's
            // wake-up after that is the host's latency, idle device time.
            busyNanos += Math.max(end, kernelEnd) - start;
            calls++;
            lastReleaseNanos = Math.max(end, kernelEnd);
        } finally {
            lock.unlock();
        }
    }

    /** Busy time so far, in nanoseconds. */
    long busyNanos() {
        lock.lock();
        try {
            return busyNanos;
        } finally {
            lock.unlock();
        }
    }

    long calls() {
        lock.lock();
        try {
            return calls;
        } finally {
            lock.unlock();
        }
    }

    /** System.nanoTime() of the last release. */
    long lastReleaseNanos() {
        lock.lock();
        try {
            return lastReleaseNanos;
        } finally {
            lock.unlock();
        }
    }

    /** Idle time before jobs' first calls and between the calls of a job, in nanoseconds. */
    long[] idleNanos() {
        lock.lock();
        try {
            return new long[] {idleBeforeJobsNanos, idleWithinJobsNanos};
        } finally {
            lock.unlock();
        }
    }

    void reset() {
        lock.lock();
        try {
            busyNanos = 0;
            calls = 0;
            idleBeforeJobsNanos = 0;
            idleWithinJobsNanos = 0;
            lastReleaseNanos = 0;
        } finally {
            lock.unlock();
        }
    }
}
