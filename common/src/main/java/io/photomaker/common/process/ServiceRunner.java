package io.photomaker.common.process;

import io.photomaker.common.config.CommonSettings;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * What every long-running PhotoMaker process does around its service: picks the log format before the
 * first logger exists, then keeps the service up until the JVM is asked to stop (SIGTERM, Ctrl-C) and
 * closes it then, so drain logic runs on stop.
 */
public final class ServiceRunner {
    /** The logback configuration used when PM_LOG_FORMAT=json (one JSON object per line). */
    static final String JSON_LOGGING = "logback-json.xml";

    private ServiceRunner() {
    }

    /**
     * Selects JSON logs when {@code PM_LOG_FORMAT=json} unless a logback configuration was named
     * explicitly; call first thing in {@code main}.
     */
    public static void configureLogging() {
        if ("json".equalsIgnoreCase(System.getenv(CommonSettings.LOG_FORMAT.name()))
                && System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", JSON_LOGGING);
        }
    }

    /** Blocks until the JVM is asked to stop, then closes {@code service}. */
    public static void runUntilStopped(AutoCloseable service) throws InterruptedException {
        runUntilStopped(service, () -> true);
    }

    /**
     * As above; when {@code alive} turns false on its own (a fatal error), the process exits with 1 so a
     * supervisor restarts it.
     */
    public static void runUntilStopped(AutoCloseable service, BooleanSupplier alive) throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            try {
                service.close();
            } catch (Exception e) {
                System.err.println("photomaker: error while stopping: " + e);
            } finally {
                closed.countDown();
            }
        }, "photomaker-stop"));
        while (!closed.await(1, TimeUnit.SECONDS)) {
            if (!alive.getAsBoolean() && !stopping.get()) {
                System.err.println("photomaker: the service stopped after a fatal error; exiting");
                System.exit(1);
            }
        }
    }
}
