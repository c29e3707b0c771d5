package io.photomaker.worker.run;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads work runs on: one device thread (the GPU does one thing at a time: jobs' generation and
 * identities' encoding queue here in order) and a small CPU pool (fetching, decoding, encoding, uploads,
 * outcome events) that works beside it.
 */
public final class WorkLanes implements AutoCloseable {
    private final ExecutorService device = Executors.newSingleThreadExecutor(named("job-device"));
    private final ExecutorService cpu;

    /** Lanes with {@code cpuThreads} CPU threads. */
    public WorkLanes(int cpuThreads) {
        this.cpu = Executors.newFixedThreadPool(cpuThreads, named("job-cpu"));
    }

    public ExecutorService device() {
        return device;
    }

    public ExecutorService cpu() {
        return cpu;
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public void close() {
        device.shutdownNow();
        cpu.shutdownNow();
    }
}
