package io.photomaker.worker.pipeline.noise;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The noise of one job as the reference pipeline draws it: every draw is one {@code torch.randn} call of shape
 * {@code [outputs, C, h, w]} on one generator seeded once; draw 0 is the initial latents of all outputs, draw
 * {@code 1 + s} the noise an ancestral sampler adds after step {@code s}. Output {@code i} uses slice {@code i} of
 * every draw. Slices can be asked for in any order (outputs denoised one after another or together), and the
 * values are rounded to the dtype the reference draws in.
 */
public final class JobNoise {

    /** Names of the generators as jobs spell them. */
    public static final String TORCH_CUDA = "torch_cuda";
    public static final String TORCH_CPU = "torch_cpu";
    public static final List<String> KINDS = List.of(TORCH_CUDA, TORCH_CPU);

    private final String kind;
    private final NoiseDtype dtype;
    private final int outputs;
    private final int sliceLength;
    private final long drawSize;
    private final TorchCudaGenerator cuda;
    private final List<TorchCpuGenerator> cpuDrawStarts;
    private float[] cachedDraw;
    private int cachedDrawIndex = -1;

    private JobNoise(String kind, NoiseDtype dtype, int outputs, int sliceLength, TorchCudaGenerator cuda,
            TorchCpuGenerator cpu) {
        this.kind = kind;
        this.dtype = dtype;
        this.outputs = outputs;
        this.sliceLength = sliceLength;
        this.drawSize = (long) outputs * sliceLength;
        this.cuda = cuda;
        this.cpuDrawStarts = cpu == null ? null : new ArrayList<>(List.of(cpu));
    }

    /**
     * The noise of a job with {@code outputs} outputs whose latents have {@code sliceLength} values each.
     *
     * @param kind  {@value #TORCH_CUDA} or {@value #TORCH_CPU}
     * @param grid  the reference GPU's launch geometry (used by {@value #TORCH_CUDA} only)
     * @throws IllegalArgumentException for an unknown kind, a CPU draw in a half-precision dtype, or bad sizes
     */
    public static JobNoise create(String kind, long seed, NoiseDtype dtype, CudaGrid grid, int outputs, int sliceLength) {
        Objects.requireNonNull(dtype, "dtype");
        if (outputs < 1 || sliceLength < 1 || (long) outputs * sliceLength > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("cannot draw " + outputs + " slices of " + sliceLength + " values");
        }
        String name = kind == null ? "" : kind.toLowerCase(Locale.ROOT);
        return switch (name) {
            case TORCH_CUDA -> new JobNoise(name, dtype, outputs, sliceLength, new TorchCudaGenerator(seed, grid), null);
            case TORCH_CPU -> {
                if (dtype != NoiseDtype.FLOAT32 || (long) outputs * sliceLength < TorchCpuGenerator.BLOCK) {
                    throw new IllegalArgumentException("noise " + TORCH_CPU + " reproduces torch's float32 CPU draw of"
                            + " 16 values or more; torch draws float16 and bfloat16 on the CPU from other uniforms, so"
                            + " use noise_dtype float32 with it");
                }
                yield new JobNoise(name, dtype, outputs, sliceLength, null, new TorchCpuGenerator(seed));
            }
            default -> throw new IllegalArgumentException("noise must be one of " + String.join(", ", KINDS) + ", was " + kind);
        };
    }

    public String kind() {
        return kind;
    }

    public NoiseDtype dtype() {
        return dtype;
    }

    /** Values per output in each draw. */
    public int sliceLength() {
        return sliceLength;
    }

    /** Writes output {@code output}'s slice of draw {@code draw} into {@code out} (length {@link #sliceLength()}). */
    public void fill(int draw, int output, float[] out) {
        if (draw < 0 || output < 0 || output >= outputs || out.length != sliceLength) {
            throw new IllegalArgumentException("draw " + draw + ", output " + output + " of " + outputs
                    + " into " + out.length + " values (slices have " + sliceLength + ")");
        }
        long from = (long) output * sliceLength;
        if (cuda != null) {
            cuda.fill(draw * cuda.offsetIncrement(drawSize), drawSize, from, out, 0, sliceLength);
        } else {
            System.arraycopy(cpuDraw(draw), (int) from, out, 0, sliceLength);
        }
        dtype.roundAll(out);
    }

    /** All of draw {@code draw} ({@code outputs * sliceLength} values, output-major), as the reference holds it. */
    public float[] draw(int draw) {
        float[] all = new float[(int) drawSize];
        float[] slice = new float[sliceLength];
        for (int output = 0; output < outputs; output++) {
            fill(draw, output, slice);
            System.arraycopy(slice, 0, all, output * sliceLength, sliceLength);
        }
        return all;
    }

    private float[] cpuDraw(int draw) {
        if (draw != cachedDrawIndex) {
            while (cpuDrawStarts.size() <= draw) {
                TorchCpuGenerator next = cpuDrawStarts.get(cpuDrawStarts.size() - 1).copy();
                next.discard(TorchCpuGenerator.consumed(drawSize));
                cpuDrawStarts.add(next);
            }
            cachedDraw = cpuDrawStarts.get(draw).copy().randn((int) drawSize);
            cachedDrawIndex = draw;
        }
        return cachedDraw;
    }
}
