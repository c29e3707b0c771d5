package io.photomaker.devtools;

import io.photomaker.common.config.Settings;
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
import java.util.List;
import java.util.Map;

/**
 * The whole system in one JVM on 127.0.0.1: embedded Kafka and S3, a gateway in dev mode (no API keys)
 * and workers on the tiny models or a real model directory. Used by {@code dev}, {@code demo} and the
 * end-to-end tests. Tracing follows PM_OTLP_ENDPOINT unless the caller hands in tracers of its own.
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
     * As above, the gateway recording spans with {@code gatewayTracing} and the workers with
     * {@code workerTracing} (null: as PM_OTLP_ENDPOINT says); the caller closes tracers it hands in.
     */
    public static EmbeddedStack start(int port, int workers, Path models, Map<String, String> extra,
                               Tracing gatewayTracing, Tracing workerTracing) throws Exception {
        EmbeddedStack s = new EmbeddedStack();
        try {
            s.boot(port, workers, models, extra, gatewayTracing, workerTracing);
            return s;
        } catch (Exception | Error e) {
            s.close();
            throw e;
        }
    }

    private void boot(int port, int workerCount, Path models, Map<String, String> extra, Tracing gatewayTracing,
                      Tracing workerTracing) throws Exception {
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
        settings.putAll(extra);
        Path modelDir = models;
        if (modelDir == null) {
            modelDir = work.resolve("tiny-models");
            TinyModelBuilder.create().build(modelDir);
        }
        Settings base = Settings.fromEnvironment(settings);
        gateway = keep(gatewayTracing == null ? GatewayProcess.start(base)
                : GatewayProcess.start(base, gatewayTracing));
        settings.put("PM_PUBLIC_URL", url());
        for (int i = 0; i < workerCount; i++) {
            Settings ws = base.with(Map.of("PM_WORKER_ID", "dev-worker-" + (i + 1)));
            workers.add(keep(workerTracing == null ? WorkerProcess.start(ws, modelDir)
                    : WorkerProcess.start(ws, modelDir, workerTracing)));
        }
    }

    private <T extends AutoCloseable> T keep(T part) {
        parts.add(part);
        return part;
    }

    public String url() {
        return "http://127.0.0.1:" + gateway.port();
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
