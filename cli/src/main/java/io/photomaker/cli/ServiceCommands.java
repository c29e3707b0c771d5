package io.photomaker.cli;

import io.photomaker.common.config.CommonSettings;
import io.photomaker.common.config.Settings;
import io.photomaker.gateway.GatewayMain;
import io.photomaker.gateway.settings.GatewaySettings;
import io.photomaker.worker.WorkerMain;
import io.photomaker.worker.settings.WorkerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code gateway} and {@code worker}: one service per process, configured by flags or PM_* environment;
 * they run what the gateway and worker artifacts run ({@link GatewayMain}, {@link WorkerMain}).
 */
public final class ServiceCommands {
    private ServiceCommands() {
    }

    /** Writes a model set into an empty directory (the development launcher's tiny models). */
    @FunctionalInterface
    public interface ModelBuilder {
        void build(Path dir) throws Exception;
    }

    /** The gateway command and a worker command without {@code --tiny}. */
    public static List<Command> all() {
        return List.of(new GatewayCommand(), worker(null));
    }

    /** A worker command; with {@code tinyModels} non-null, {@code --tiny} builds a model set with it. */
    public static Command worker(ModelBuilder tinyModels) {
        return new WorkerCommand(tinyModels);
    }

    /** Flags that name a setting, so every option has one spelling in the environment too. */
    private static final Map<String, String> FLAG_SETTINGS = Map.of(
            "kafka", CommonSettings.KAFKA_BOOTSTRAP.name(),
            "s3-endpoint", CommonSettings.S3_ENDPOINT.name(),
            "s3-bucket", CommonSettings.S3_BUCKET.name(),
            "port", GatewaySettings.HTTP_PORT.name(),
            "management-port", GatewaySettings.MANAGEMENT_PORT.name(),
            "host", GatewaySettings.HTTP_HOST.name(),
            "models", WorkerSettings.MODELS_DIR.name(),
            "worker-id", WorkerSettings.WORKER_ID.name(),
            "metrics-port", WorkerSettings.METRICS_PORT.name());

    static Settings settings(Args a) {
        Map<String, String> overrides = new HashMap<>();
        FLAG_SETTINGS.forEach((flag, name) -> a.get(flag).ifPresent(v -> overrides.put(name, v)));
        if (a.flag("dev")) {
            overrides.put(GatewaySettings.DEV_MODE.name(), "true");
        }
        return Settings.fromEnvironment(overrides);
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
            GatewayMain.serve(settings(a));
            return 0;
        }
    }

    private static final class WorkerCommand implements Command {
        private final ModelBuilder tinyModels;

        WorkerCommand(ModelBuilder tinyModels) {
            this.tinyModels = tinyModels;
        }

        @Override
        public String name() {
            return "worker";
        }

        @Override
        public String summary() {
            return "run a GPU/CPU worker (--models DIR" + (tinyModels == null ? "" : " | --tiny")
                    + ", --kafka, --s3-endpoint; or PM_* environment)";
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
                if (tinyModels == null) {
                    throw new Args.UsageException("--tiny needs the development launcher (./photomaker)");
                }
                models = Files.createTempDirectory("photomaker-tiny-models");
                tinyModels.build(models);
            } else if (s.optional(WorkerSettings.MODELS_DIR).isEmpty()) {
                throw new Args.UsageException("no models: pass --models DIR (an exported model directory)"
                        + (tinyModels == null ? "" : " or --tiny"));
            } else {
                models = WorkerMain.modelsDir(s);
            }
            WorkerMain.serve(s, models);
            return 0;
        }
    }
}
