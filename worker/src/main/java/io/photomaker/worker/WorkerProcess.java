package io.photomaker.worker;

import io.photomaker.common.config.ConfigException;
import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.config.S3Settings;
import io.photomaker.common.config.Settings;
import io.photomaker.common.trace.Tracing;
import io.photomaker.worker.onnx.ExecutionConfig;
import io.photomaker.worker.ops.HealthServer;
import io.photomaker.worker.ops.WorkerMetrics;
import io.photomaker.worker.pipeline.PhotoMakerPipeline;
import io.photomaker.worker.run.PhotoMakerJobHandler;
import io.photomaker.worker.settings.WorkerSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole worker process: loads the models once (CUDA when available, else CPU), joins the worker
 * group of the model they are (photomaker-v1 or photomaker-v2, from the manifest; PM_MODEL, when set, must
 * agree), and serves /healthz, /readyz and /metrics. Closing drains the job in hand first.
 */
public final class WorkerProcess implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerProcess.class);
    /** The service name of worker spans unless PM_SERVICE_NAME says otherwise. */
    public static final String SERVICE_NAME = "photomaker-worker";

    private final Worker worker;
    private final HealthServer health;
    private final Tracing ownTracing;

    private WorkerProcess(Worker worker, HealthServer health, Tracing ownTracing) {
        this.worker = worker;
        this.health = health;
        this.ownTracing = ownTracing;
    }

    /**
     * Starts a worker configured by {@code settings} (PM_* names), with models from {@code modelsDir};
     * traces as PM_OTLP_ENDPOINT says.
     */
    public static WorkerProcess start(Settings settings, Path modelsDir) {
        Tracing tracing = Tracing.fromSettings(settings, SERVICE_NAME);
        try {
            return start(settings, modelsDir, tracing, tracing);
        } catch (RuntimeException | Error e) {
            tracing.close();
            throw e;
        }
    }

    /** As above, tracing jobs with {@code tracing}, which stays the caller's to close. */
    public static WorkerProcess start(Settings settings, Path modelsDir, Tracing tracing) {
        return start(settings, modelsDir, tracing, null);
    }

    private static WorkerProcess start(Settings settings, Path modelsDir, Tracing tracing, Tracing owned) {
        WorkerConfig cfg = WorkerConfig.from(settings);
        KafkaSettings kafka = KafkaSettings.from(settings);
        S3Settings s3 = S3Settings.from(settings);
        ExecutionConfig exec = ExecutionConfig.fromEnv(settingsMap(settings));
        WorkerMetrics metrics = new WorkerMetrics();
        long t0 = System.nanoTime();
        PhotoMakerPipeline pipeline = PhotoMakerPipeline.load(modelsDir, exec);
        String served = pipeline.manifest().servedModel();
        settings.optional(WorkerSettings.MODEL).filter(expected -> !expected.equals(served)).ifPresent(expected -> {
            pipeline.close();
            throw new ConfigException(WorkerSettings.MODEL.name() + "=" + expected + " but the models in " + modelsDir + " are " + served
                    + " (manifest photomaker_version); this fleet would read the wrong work queue");
        });
        metrics.modelLoaded(Duration.ofNanos(System.nanoTime() - t0), pipeline.models().sessions().provider().name().toLowerCase(java.util.Locale.ROOT));
        LOG.info("models from {} loaded in {} ms", modelsDir, (System.nanoTime() - t0) / 1_000_000);
        Worker worker = null;
        try {
            worker = Worker.start(cfg, kafka, s3, metrics, tracing, store -> new PhotoMakerJobHandler(pipeline, store, cfg.generation()));
            HealthServer health = null;
            if (cfg.metricsPort() >= 0) {
                Worker w = worker;
                health = new HealthServer(settings.string(WorkerSettings.METRICS_HOST), cfg.metricsPort(),
                        w::isReady, metrics::scrape);
                LOG.info("worker metrics and health on port {}", health.port());
            }
            return new WorkerProcess(worker, health, owned);
        } catch (IOException e) {
            worker.close();
            throw new ConfigException("cannot serve worker health on port " + cfg.metricsPort() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (worker != null) {
                worker.close();
            } else {
                pipeline.close();
            }
            throw e;
        }
    }

    private static java.util.Map<String, String> settingsMap(Settings s) {
        java.util.Map<String, String> m = new java.util.HashMap<>();
        for (String k : ExecutionConfig.VARIABLES) {
            s.optional(k).ifPresent(v -> m.put(k, v));
        }
        return m;
    }

    public Worker worker() {
        return worker;
    }

    public int healthPort() {
        return health == null ? -1 : health.port();
    }

    @Override
    public void close() {
        worker.close();
        if (health != null) {
            health.close();
        }
        if (ownTracing != null) {
            ownTracing.close();
        }
    }
}
