package io.photomaker.worker.pipeline;

import java.util.OptionalLong;

/**
 * How many outputs of one request share a UNet call (each output is a classifier-free-guidance pair of
 * rows). A configured limit wins; otherwise on a GPU the limit follows its memory: what the resident SDXL
 * + PhotoMaker models and one VAE decode leave, divided by the activation memory of one output at the
 * request's latent size (one output per call when the memory is unknown). On the CPU memory is no
 * constraint. Never more than the model's batch axis allows. The memory figures are planning estimates
 * for an fp16 SDXL export (see docs/OPERATIONS.md).
 *
 * @param configuredLimit outputs per call set by the operator, 0 = choose
 * @param onGpu whether the models run on a GPU
 * @param gpuMemoryBytes memory the models may use on that GPU, when known
 */
public record UnetBatchPlan(int configuredLimit, boolean onGpu, OptionalLong gpuMemoryBytes) {
    /** Resident weights of the fp16 model set plus the peak of one 1024x1024 VAE decode. */
    static final long RESERVED_BYTES = 10L << 30;
    /** Activation memory of one guided output at a 128x128 latent (1024x1024 image), fp16. */
    static final long BYTES_PER_OUTPUT_AT_1024 = 3L << 30;
    static final int REFERENCE_LATENT_AREA = 128 * 128;
    /** Largest group where memory is no constraint. */
    static final int UNCONSTRAINED = 8;

    /** The plan for the CPU with no configured limit. */
    public static UnetBatchPlan cpu() {
        return new UnetBatchPlan(0, false, OptionalLong.empty());
    }

    public UnetBatchPlan {
        gpuMemoryBytes = gpuMemoryBytes == null ? OptionalLong.empty() : gpuMemoryBytes;
        if (configuredLimit < 0) {
            throw new IllegalArgumentException("batch limit must be 0 (choose) or more, was " + configuredLimit);
        }
    }

    /** Outputs per call for latents of {@code latentHeight x latentWidth} on a model taking up to {@code modelMax}. */
    public int outputsPerCall(int latentHeight, int latentWidth, int modelMax) {
        int limit = configuredLimit > 0 ? configuredLimit : fromMemory(latentHeight, latentWidth);
        return Math.max(1, Math.min(limit, modelMax));
    }

    private int fromMemory(int latentHeight, int latentWidth) {
        if (!onGpu) {
            return UNCONSTRAINED;
        }
        if (gpuMemoryBytes.isEmpty()) {
            return 1;
        }
        long free = gpuMemoryBytes.getAsLong() - RESERVED_BYTES;
        long perOutput = Math.max(1, BYTES_PER_OUTPUT_AT_1024 * latentHeight * latentWidth / REFERENCE_LATENT_AREA);
        return (int) Math.max(1, Math.min(UNCONSTRAINED, free / perOutput));
    }
}
