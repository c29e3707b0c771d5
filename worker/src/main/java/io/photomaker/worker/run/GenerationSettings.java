package io.photomaker.worker.run;

import io.photomaker.common.config.ConfigException;
import io.photomaker.common.config.Settings;
import io.photomaker.worker.pipeline.noise.CudaGrid;
import io.photomaker.worker.settings.WorkerSettings;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Worker-wide settings of how jobs generate: the reference GPU's geometry for {@code torch_cuda} noise
 * ({@code PM_TORCH_CUDA_SM_COUNT}, {@code PM_TORCH_CUDA_THREADS_PER_SM}, see {@link CudaGrid}) and the jobs an
 * operator wants dumped tensor by tensor: {@code PM_DUMP_TENSORS_JOBS} (comma-separated job ids) into
 * {@code PM_DUMP_TENSORS_DIR}/{@code <job id>}/{@code attempt-<n>}. Dumps are an operator's tool, never a client's:
 * no job field asks for one.
 */
public record GenerationSettings(CudaGrid cudaGrid, Optional<Path> dumpDir, Set<String> dumpJobIds) {

    public static final String ENV_DUMP_DIR = WorkerSettings.DUMP_TENSORS_DIR.name();
    public static final String ENV_DUMP_JOBS = WorkerSettings.DUMP_TENSORS_JOBS.name();

    public GenerationSettings {
        dumpJobIds = Set.copyOf(dumpJobIds);
        if (!dumpJobIds.isEmpty() && dumpDir.isEmpty()) {
            throw new ConfigException(ENV_DUMP_JOBS + " names jobs to dump but " + ENV_DUMP_DIR + " is not set");
        }
    }

    /** The default geometry, no dumps. */
    public static GenerationSettings defaults() {
        return new GenerationSettings(CudaGrid.defaults(), Optional.empty(), Set.of());
    }

    public static GenerationSettings from(Settings s) {
        Set<String> jobs = Arrays.stream(s.string(WorkerSettings.DUMP_TENSORS_JOBS).split(","))
                .map(String::strip).filter(id -> !id.isEmpty()).collect(Collectors.toSet());
        return new GenerationSettings(CudaGrid.from(s), s.optional(WorkerSettings.DUMP_TENSORS_DIR).map(Path::of), jobs);
    }

    /** Whether job {@code jobId} is to be dumped. */
    public boolean dumps(String jobId) {
        return dumpJobIds.contains(jobId);
    }

    /** Where job {@code jobId}'s attempt {@code attempt} is dumped. */
    public Path dumpDirectory(String jobId, int attempt) {
        return dumpDir.orElseThrow().resolve(jobId).resolve("attempt-" + attempt);
    }
}
