package io.photomaker.worker.pipeline.noise;

import io.photomaker.common.job.JobDefaults;
import java.util.Objects;

/**
 * How a generation draws its noise: which torch generator it reproduces ({@value JobNoise#TORCH_CUDA} or
 * {@value JobNoise#TORCH_CPU}), the dtype the reference draws in, and the reference GPU's geometry (CUDA draws
 * above its thread cap only).
 */
public record NoiseSpec(String generator, NoiseDtype dtype, CudaGrid grid) {

    public NoiseSpec {
        Objects.requireNonNull(generator, "generator");
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(grid, "grid");
        if (!JobNoise.KINDS.contains(generator)) {
            throw new IllegalArgumentException("noise must be one of " + String.join(", ", JobNoise.KINDS) + ", was " + generator);
        }
    }

    /** The demo's noise: torch's CUDA generator in bfloat16, on the default geometry. */
    public static NoiseSpec defaults() {
        return of(JobDefaults.NOISE, null, CudaGrid.defaults());
    }

    /**
     * Parses job fields; a null generator or dtype takes the default ({@link JobDefaults}).
     *
     * @throws IllegalArgumentException naming the valid values
     */
    public static NoiseSpec of(String generator, String dtype, CudaGrid grid) {
        String kind = generator == null ? JobDefaults.NOISE : generator;
        return new NoiseSpec(kind, NoiseDtype.of(dtype == null ? JobDefaults.noiseDtypeFor(kind) : dtype), grid);
    }

    /** The noise of one job with {@code outputs} outputs of {@code sliceLength} latent values each. */
    public JobNoise create(long seed, int outputs, int sliceLength) {
        return JobNoise.create(generator, seed, dtype, grid, outputs, sliceLength);
    }
}
