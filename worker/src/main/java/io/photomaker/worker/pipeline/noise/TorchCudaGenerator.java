package io.photomaker.worker.pipeline.noise;

import java.util.Objects;

/**
 * Standard normal draws laid out as {@code torch.randn(..., generator=torch.Generator("cuda").manual_seed(seed))}
 * lays them out: Philox4x32-10 keyed by the seed ({@code k0 = seed & 0xffffffff, k1 = seed >>> 32}), one
 * subsequence per CUDA thread, Box-Muller on pairs of 32-bit outputs.
 *
 * <p>A draw of {@code numel} values at Philox offset {@code O} runs {@code T = CudaGrid.threads(numel)} threads.
 * Element {@code e} belongs to group {@code g = e / 4T}, lane {@code ii = (e % 4T) / T} and thread
 * {@code idx = e % T}; its counter is {@code (O/4 + g, 0, idx, 0)} (the first two and last two words as 64-bit
 * numbers) and the block's outputs {@code (x0, x1, x2, x3)} give lane 0 {@code r01 sin v01}, lane 1
 * {@code r01 cos v01}, lane 2 {@code r23 sin v23}, lane 3 {@code r23 cos v23} with {@code u = x*2^-32 + 2^-33},
 * {@code v = y*(2pi*2^-32) + pi*2^-32}, {@code r = sqrt(-2 ln u)}. Below the thread cap {@code T >= numel}, so every
 * element is lane 0 of its own counter {@code (O/4, 0, e, 0)}. After the draw the offset advances by
 * {@code 4 * (floor((numel - 1) / 4T) + 1)}, as torch's {@code philox_cuda_state} does.
 *
 * <p>Box-Muller is evaluated in double precision with exact constants and rounded once to float32 (the formula
 * of the published reference values); torch on a GPU evaluates it with the device's float32 {@code logf} and
 * {@code sincosf}, which may differ from this in the last bit of some values.
 */
public final class TorchCudaGenerator {

    /** Values one curand_normal4 call gives one thread per group. */
    static final int LANES = 4;
    private static final double TWO_POW_MINUS_32 = 0x1p-32;
    private static final double TWO_PI_TWO_POW_MINUS_32 = 2 * Math.PI * 0x1p-32;

    private final long seed;
    private final CudaGrid grid;
    private long offset;

    /** A generator freshly seeded with {@code seed} (torch's {@code manual_seed}): offset 0. */
    public TorchCudaGenerator(long seed, CudaGrid grid) {
        this.seed = seed;
        this.grid = Objects.requireNonNull(grid, "grid");
    }

    public long seed() {
        return seed;
    }

    /** The Philox offset the next draw starts at (a multiple of 4). */
    public long offset() {
        return offset;
    }

    /** The next draw of {@code numel} values, advancing the offset as torch does. */
    public float[] randn(int numel) {
        float[] out = new float[numel];
        fill(offset, numel, 0, out, 0, numel);
        offset += offsetIncrement(numel);
        return out;
    }

    /** How far one draw of {@code numel} values advances the Philox offset. */
    public long offsetIncrement(long numel) {
        requirePositive(numel);
        return LANES * ((numel - 1) / (LANES * grid.threads(numel)) + 1);
    }

    /**
     * Elements {@code [from, from + length)} of a draw of {@code numel} values made at Philox offset
     * {@code philoxOffset}, written to {@code out[outOffset..]}. Any slice of any draw can be computed on its own.
     */
    public void fill(long philoxOffset, long numel, long from, float[] out, int outOffset, int length) {
        requirePositive(numel);
        if (philoxOffset < 0 || philoxOffset % LANES != 0) {
            throw new IllegalArgumentException("Philox offset must be a non-negative multiple of 4, was " + philoxOffset);
        }
        if (from < 0 || length < 0 || from + length > numel) {
            throw new IndexOutOfBoundsException("elements [" + from + ", " + (from + length) + ") of a draw of " + numel);
        }
        long threads = grid.threads(numel);
        long groupSize = LANES * threads;
        long base = philoxOffset / LANES;
        int key0 = (int) seed;
        int key1 = (int) (seed >>> 32);
        int[] block = new int[4];
        for (int k = 0; k < length; k++) {
            long element = from + k;
            long counter = base + element / groupSize;
            long withinGroup = element % groupSize;
            int lane = (int) (withinGroup / threads);
            long thread = withinGroup % threads;
            Philox4x32.block((int) counter, (int) (counter >>> 32), (int) thread, (int) (thread >>> 32), key0, key1, block);
            out[outOffset + k] = lane < 2 ? boxMuller(block[0], block[1], lane) : boxMuller(block[2], block[3], lane - 2);
        }
    }

    /** {@code r sin v} (lane 0) or {@code r cos v} (lane 1) of one pair of Philox outputs, rounded to float32. */
    static float boxMuller(int x, int y, int lane) {
        return (float) boxMullerExact(x, y, lane);
    }

    /** The double-precision value before rounding (the published reference values carry eight digits of it). */
    static double boxMullerExact(int x, int y, int lane) {
        double u = (x & 0xFFFFFFFFL) * TWO_POW_MINUS_32 + TWO_POW_MINUS_32 / 2;
        double v = (y & 0xFFFFFFFFL) * TWO_PI_TWO_POW_MINUS_32 + TWO_PI_TWO_POW_MINUS_32 / 2;
        double radius = StrictMath.sqrt(-2.0 * StrictMath.log(u));
        return radius * (lane == 0 ? StrictMath.sin(v) : StrictMath.cos(v));
    }

    private static void requirePositive(long numel) {
        if (numel < 1) {
            throw new IllegalArgumentException("a draw needs at least one value, asked for " + numel);
        }
    }
}
