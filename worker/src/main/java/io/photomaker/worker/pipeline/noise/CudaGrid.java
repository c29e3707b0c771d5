package io.photomaker.worker.pipeline.noise;

import io.photomaker.common.config.ConfigException;
import io.photomaker.common.config.Settings;
import io.photomaker.worker.settings.WorkerSettings;

/**
 * The launch geometry torch's CUDA random kernels use, which decides how the values of one large
 * {@code torch.randn} call are laid out: blocks of 256 threads, at most
 * {@code smCount * (maxThreadsPerSm / 256)} blocks. Below that thread cap every element gets its own Philox
 * counter; above it each thread produces four values per counter and the elements interleave (see
 * {@link TorchCudaGenerator}). So a reference picture drawn on another GPU model only matches when these two
 * numbers match that GPU's {@code multiProcessorCount} and {@code maxThreadsPerMultiProcessor} -- and only for
 * draws larger than the cap; smaller draws are the same on every GPU.
 *
 * <p>Settings: {@code PM_TORCH_CUDA_SM_COUNT} (default {@value #DEFAULT_SM_COUNT}, an A100) and
 * {@code PM_TORCH_CUDA_THREADS_PER_SM} (default {@value #DEFAULT_THREADS_PER_SM}). Common values: A100 108/2048
 * (cap 221,184), H100 SXM 132/2048 (270,336), V100 80/2048 (163,840), A10G 80/1536 (122,880), L4 58/1536
 * (89,088), RTX 4090 128/1536 (196,608), RTX 3090 82/1536 (125,952), T4 40/1024 (40,960).
 *
 * @param smCount        streaming multiprocessors of the reference GPU
 * @param maxThreadsPerSm resident threads per multiprocessor of the reference GPU
 */
public record CudaGrid(int smCount, int maxThreadsPerSm) {

    /** Threads per block of torch's distribution kernels. */
    public static final int BLOCK_SIZE = 256;
    public static final int DEFAULT_SM_COUNT = (int) WorkerSettings.TORCH_CUDA_SM_COUNT.defaultNumber();
    public static final int DEFAULT_THREADS_PER_SM = (int) WorkerSettings.TORCH_CUDA_THREADS_PER_SM.defaultNumber();
    public static final String ENV_SM_COUNT = WorkerSettings.TORCH_CUDA_SM_COUNT.name();
    public static final String ENV_THREADS_PER_SM = WorkerSettings.TORCH_CUDA_THREADS_PER_SM.name();

    public CudaGrid {
        if (smCount < 1 || smCount > 100_000) {
            throw new ConfigException(ENV_SM_COUNT + " must be in 1..100000, was " + smCount);
        }
        if (maxThreadsPerSm < BLOCK_SIZE || maxThreadsPerSm > 65_536) {
            throw new ConfigException(ENV_THREADS_PER_SM + " must be in " + BLOCK_SIZE + "..65536, was "
                    + maxThreadsPerSm);
        }
    }

    /** An A100's geometry (108 SMs, 2048 threads each). */
    public static CudaGrid defaults() {
        return new CudaGrid(DEFAULT_SM_COUNT, DEFAULT_THREADS_PER_SM);
    }

    /** Reads {@value #ENV_SM_COUNT} and {@value #ENV_THREADS_PER_SM}; unset ones take the defaults. */
    public static CudaGrid from(Settings settings) {
        return new CudaGrid(settings.integer(WorkerSettings.TORCH_CUDA_SM_COUNT),
                settings.integer(WorkerSettings.TORCH_CUDA_THREADS_PER_SM));
    }

    /** Most blocks one launch uses. */
    public long maxBlocks() {
        return (long) smCount * (maxThreadsPerSm / BLOCK_SIZE);
    }

    /** Most threads one launch uses: draws up to this size give one value per thread. */
    public long threadCap() {
        return maxBlocks() * BLOCK_SIZE;
    }

    /** Threads launched for a draw of {@code numel} values: 256 times the block count. */
    public long threads(long numel) {
        long blocks = Math.min((numel + BLOCK_SIZE - 1) / BLOCK_SIZE, maxBlocks());
        return blocks * BLOCK_SIZE;
    }
}
