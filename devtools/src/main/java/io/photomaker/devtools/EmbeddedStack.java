package io.photomaker.devtools;

import io.photomaker.common.config.Settings;
import io.photomaker.common.model.ModelManifest;
import io.photomaker.common.model.ModelNames;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.common.trace.Tracing;
import io.photomaker.gateway.GatewayProcess;
import io.photomaker.testkit.infra.EmbeddedKafka;
import io.photomaker.testkit.infra.EmbeddedS3;
import io.photomaker.testkit.models.TinyModelBuilder;
import io.photomaker.worker.WorkerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole system in one JVM on 127.0.0.1: embedded Kafka and S3, a gateway in dev mode (no API keys)
 * and workers on the tiny models or a real model directory. Used by {@code dev}, {@code demo} and the
 * end-to-end tests. With several tiny models (photomaker-v1, photomaker-v2) each gets its own fleet, and the
 * gateway serves them all (the first is the default). Tracing follows PM_OTLP_ENDPOINT unless the caller hands
 * in tracers of its own.
 */
public final class EmbeddedStack implements AutoCloseable {
    private final List<AutoCloseable> parts = new ArrayList<>();
    private final Map<String, String> settings = new HashMap<>();
    private final List<WorkerProcess> workers = new ArrayList<>();
    private GatewayProcess gateway;

    private EmbeddedStack() {
    }

    /**
     * Starts everything; {@code models} null means the tiny model set, built now; {@code extra} settings
     * (PM_* names) override the defaults.
     */
    public static EmbeddedStack start(int port, int workers, Path models, Map<String, String> extra) throws Exception {
        return start(port, workers, models, extra, null, null);
    }

    /**
     * As above; without {@code models}, one fleet of {@code workers} per tiny model named in {@code tinyModels}
     * (photomaker-v1 with face models, photomaker-v2), all served by the gateway, the first by default.
     */
    static EmbeddedStack start(int port, int workers, Path models, Map<String, String> extra, List<String> tinyModels)
            throws Exception {
        EmbeddedStack s = new EmbeddedStack();
        try {
            s.boot(port, workers, models, extra, null, null, tinyModels, true);
            return s;
        } catch (Exception | Error e) {
            s.close();
            throw e;
        }
    }

    /**
     * As above, the gateway recording spans with {@code gatewayTracing} and the workers with
     * {@code workerTracing} (null: as PM_OTLP_ENDPOINT says); the caller closes tracers it hands in.
     */
    public static EmbeddedStack start(int port, int workers, Path models, Map<String, String> extra,
                               Tracing gatewayTracing, Tracing workerTracing) throws Exception {
        EmbeddedStack s = new EmbeddedStack();
        try {
            s.boot(port, workers, models, extra, gatewayTracing, workerTracing, List.of(ModelNames.V1), false);
            return s;
        } catch (Exception | Error e) {
            s.close();
            throw e;
        }
    }

    private void boot(int port, int workerCount, Path models, Map<String, String> extra, Tracing gatewayTracing,
                      Tracing workerTracing, List<String> tinyModels, boolean faceModels) throws Exception {
        EmbeddedKafka kafka = keep(EmbeddedKafka.start(4));
        EmbeddedS3 s3 = keep(EmbeddedS3.start());
        try (ObjectStore store = new ObjectStore(s3.settings())) {
            store.ensureBucket().join();
        }
        Path work = Files.createTempDirectory("photomaker-dev");
        settings.put("PM_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        settings.put("PM_TOPIC_PARTITIONS", "4");
        settings.putAll(s3.environment());
        settings.put("PM_HTTP_HOST", "127.0.0.1");
        settings.put("PM_HTTP_PORT", Integer.toString(port));
        settings.put("PM_DEV_MODE", "true");
        settings.put("PM_STATE_DIR", work.resolve("state").toString());
        settings.put("PM_METRICS_PORT", "-1");
        settings.put("PM_WEBHOOK_ALLOW_PRIVATE", "true");
        Map<String, Path> fleets = new LinkedHashMap<>();
        if (models != null) {
            fleets.put(ModelManifest.read(models).servedModel(), models);
        } else {
            for (String model : tinyModels) {
                Path dir = work.resolve("tiny-" + model);
                TinyModelBuilder.create().photomakerVersion(model.equals(ModelNames.V2) ? "v2" : "v1")
                        .faceModels(faceModels).build(dir);
                fleets.put(model, dir);
            }
        }
        settings.put("PM_MODELS", String.join(",", fleets.keySet()));
        settings.putAll(extra);
        Settings base = Settings.fromEnvironment(settings);
        gateway = keep(gatewayTracing == null ? GatewayProcess.start(base)
                : GatewayProcess.start(base, gatewayTracing));
        settings.put("PM_PUBLIC_URL", url());
        for (Map.Entry<String, Path> fleet : fleets.entrySet()) {
            String prefix = fleet.getKey().equals(ModelNames.V1) ? "dev-worker-" : "dev-" + fleet.getKey() + "-worker-";
            for (int i = 0; i < workerCount; i++) {
                Settings ws = base.with(Map.of("PM_WORKER_ID", prefix + (i + 1)));
                workers.add(keep(workerTracing == null ? WorkerProcess.start(ws, fleet.getValue())
                        : WorkerProcess.start(ws, fleet.getValue(), workerTracing)));
            }
        }
    }

    /** The models the gateway serves, default first. */
    List<String> servedModels() {
        return List.of(settings.get("PM_MODELS").split(","));
    }

    private <T extends AutoCloseable> T keep(T part) {
        parts.add(part);
        return part;
    }

    public String url() {
        return "http://127.0.0.1:" + gateway.port();
    }

    /** The gateway's management port: /healthz, /readyz and /metrics. */
    String managementUrl() {
        return "http://127.0.0.1:" + gateway.managementPort();
    }

    /** The workers, in start order (their metrics ports when PM_METRICS_PORT is 0). */
    public List<WorkerProcess> workers() {
        return List.copyOf(workers);
    }

    public Map<String, String> settings() {
        return Map.copyOf(settings);
    }

    @Override
    public void close() {
        for (int i = parts.size() - 1; i >= 0; i--) {
            try {
                parts.get(i).close();
            } catch (Exception e) {
                System.err.println("photomaker: stopping " + parts.get(i).getClass().getSimpleName() + ": " + e);
            }
        }
        parts.clear();
    }
}
