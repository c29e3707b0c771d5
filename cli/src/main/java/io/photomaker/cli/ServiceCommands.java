package io.photomaker.cli;

import io.photomaker.common.config.Settings;
import io.photomaker.gateway.GatewayProcess;
import io.photomaker.testkit.models.TinyModelBuilder;
import io.photomaker.worker.WorkerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** {@code gateway} and {@code worker}: one service per process, configured by flags or PM_* environment. */
final class ServiceCommands {
    private ServiceCommands() {
    }

    static List<Command> all() {
        return List.of(new GatewayCommand(), new WorkerCommand());
    }

    /** Flags that name a setting, so every option has one spelling in the environment too. */
    private static final Map<String, String> FLAG_SETTINGS = Map.of(
            "kafka", "PM_KAFKA_BOOTSTRAP",
            "s3-endpoint", "PM_S3_ENDPOINT",
            "s3-bucket", "PM_S3_BUCKET",
            "port", "PM_HTTP_PORT",
            "host", "PM_HTTP_HOST",
            "models", "PM_MODELS_DIR",
            "worker-id", "PM_WORKER_ID",
            "metrics-port", "PM_METRICS_PORT");

    static Settings settings(Args a) {
        Map<String, String> overrides = new HashMap<>();
        FLAG_SETTINGS.forEach((flag, name) -> a.get(flag).ifPresent(v -> overrides.put(name, v)));
        if (a.flag("dev")) {
            overrides.put("PM_DEV_MODE", "true");
        }
        return Settings.fromEnvironment(overrides);
    }

    /** Blocks until the JVM is asked to stop (SIGTERM, Ctrl-C), then closes {@code service}. */
    static void runUntilStopped(AutoCloseable service) throws InterruptedException {
        runUntilStopped(service, () -> true);
    }

    /**
     * As above; when {@code alive} turns false on its own (a fatal error), the process exits with 1 so a
     * supervisor restarts it.
     */
    static void runUntilStopped(AutoCloseable service, java.util.function.BooleanSupplier alive)
            throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
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
        while (!closed.await(1, java.util.concurrent.TimeUnit.SECONDS)) {
            if (!alive.getAsBoolean() && !stopping.get()) {
                System.err.println("photomaker: the service stopped after a fatal error; exiting");
                System.exit(1);
            }
        }
    }

    private static final class GatewayCommand implements Command {
        @Override
        public String name() {
            return "gateway";
        }

        @Override
        public String summary() {
            return "run the HTTP gateway (--port, --host, --kafka, --s3-endpoint, --dev; or PM_* environment)";
        }

        @Override
        public Set<String> flags() {
            return Set.of("dev");
        }

        @Override
        public Set<String> options() {
            return FLAG_SETTINGS.keySet();
        }

        @Override
        public int run(Args a) throws Exception {
            Settings s = settings(a);
            GatewayProcess gw = GatewayProcess.start(s);
            System.out.println("PM_GATEWAY_URL=http://" + s.string("PM_HTTP_HOST", "127.0.0.1") + ":" + gw.port());
            System.out.flush();
            runUntilStopped(gw);
            return 0;
        }
    }

    private static final class WorkerCommand implements Command {
        @Override
        public String name() {
            return "worker";
        }

        @Override
        public String summary() {
            return "run a GPU/CPU worker (--models DIR | --tiny, --kafka, --s3-endpoint; or PM_* environment)";
        }

        @Override
        public Set<String> flags() {
            return Set.of("tiny");
        }

        @Override
        public Set<String> options() {
            return FLAG_SETTINGS.keySet();
        }

        @Override
        public int run(Args a) throws Exception {
            Settings s = settings(a);
            Path models;
            if (a.flag("tiny")) {
                models = Files.createTempDirectory("photomaker-tiny-models");
                TinyModelBuilder.create().build(models);
            } else {
                models = s.optional("PM_MODELS_DIR").map(Path::of).orElseThrow(() -> new Args.UsageException(
                        "no models: pass --models DIR (an exported model directory) or --tiny"));
            }
            WorkerProcess w = WorkerProcess.start(s, models);
            System.out.println("worker ready");
            System.out.flush();
            runUntilStopped(w, () -> w.worker().loop().isRunning());
            return 0;
        }
    }
}
