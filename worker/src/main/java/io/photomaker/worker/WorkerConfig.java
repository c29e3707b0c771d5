package io.photomaker.worker;

import io.photomaker.common.config.ConfigException;
import io.photomaker.common.config.Settings;
import io.photomaker.worker.run.GenerationSettings;
import io.photomaker.worker.settings.WorkerSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Worker settings, validated in one place.
 *
 * @param modelsDir model directory (PM_MODELS_DIR); empty means the caller supplies models (dev mode)
 * @param workerId identity in events and logs (PM_WORKER_ID, default a random id)
 * @param drain how long SIGTERM waits for the job in hand (PM_DRAIN_SECONDS)
 * @param maxAttempts attempts before a job is dead-lettered (PM_MAX_ATTEMPTS)
 * @param retryBase first retry delay; doubles per attempt with full jitter (PM_RETRY_BASE_MS)
 * @param retryCap largest retry delay (PM_RETRY_CAP_MS)
 * @param metricsPort port for /metrics, /healthz, /readyz; 0 = any free port, -1 = none (PM_METRICS_PORT)
 * @param prefetch jobs read and prepared ahead while one generates (PM_PREFETCH_JOBS); 0 = one job at a time
 * @param generation reference GPU geometry for torch_cuda noise and operator-requested tensor dumps
 *                   (PM_TORCH_CUDA_SM_COUNT, PM_TORCH_CUDA_THREADS_PER_SM, PM_DUMP_TENSORS_DIR, PM_DUMP_TENSORS_JOBS)
 */
public record WorkerConfig(Optional<Path> modelsDir, String workerId, Duration drain, int maxAttempts,
                           Duration retryBase, Duration retryCap, int metricsPort, int prefetch,
                           GenerationSettings generation) {
    public WorkerConfig {
        if (maxAttempts < 1) {
            throw new ConfigException("PM_MAX_ATTEMPTS must be at least 1");
        }
        if (retryBase.compareTo(retryCap) > 0) {
            throw new ConfigException("PM_RETRY_BASE_MS must not exceed PM_RETRY_CAP_MS");
        }
        modelsDir.ifPresent(d -> {
            if (!Files.isDirectory(d)) {
                throw new ConfigException("PM_MODELS_DIR=" + d + " is not a directory");
            }
        });
    }

    public static WorkerConfig from(Settings s) {
        return new WorkerConfig(
                s.optional(WorkerSettings.MODELS_DIR).map(Path::of),
                s.string(WorkerSettings.WORKER_ID, "worker-" + UUID.randomUUID().toString().substring(0, 8)),
                s.seconds(WorkerSettings.DRAIN_SECONDS),
                s.integer(WorkerSettings.MAX_ATTEMPTS),
                s.milliseconds(WorkerSettings.RETRY_BASE_MS),
                s.milliseconds(WorkerSettings.RETRY_CAP_MS),
                s.integer(WorkerSettings.METRICS_PORT),
                s.integer(WorkerSettings.PREFETCH_JOBS),
                GenerationSettings.from(s));
    }

    public WorkerConfig withWorkerId(String id) {
        return new WorkerConfig(modelsDir, id, drain, maxAttempts, retryBase, retryCap, metricsPort, prefetch,
                generation);
    }

    /**
     * Records the loop works on at once: with prefetch, the job generating, {@code prefetch} being prepared
     * and one whose outputs are being stored; without, one.
     */
    public int loopCapacity() {
        return prefetch == 0 ? 1 : prefetch + 2;
    }
}
