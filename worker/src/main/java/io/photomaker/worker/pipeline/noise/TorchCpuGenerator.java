package io.photomaker.worker.pipeline.noise;

/**
 * Standard normal float32 draws as {@code torch.randn(..., generator=torch.Generator("cpu").manual_seed(seed))}
 * makes them, on the MT19937 engine seeded with the low 32 bits of the seed.
 *
 * <p>Draws of 16 values or more ({@code normal_fill}): one uniform per value, {@code u = (mt() & 0xffffff) * 2^-24},
 * then per block of 16, for {@code j = 0..7}: {@code r = sqrt(-2 ln(1 - u[j]))}, {@code t = 2 pi u[j+8]},
 * {@code out[j] = r cos t}, {@code out[j+8] = r sin t}, in float32. When the count is not a multiple of 16 the
 * last 16 values are drawn again from 16 fresh uniforms and recomputed as one block.
 *
 * <p>Draws of fewer than 16 values use torch's scalar path in double precision: uniforms of 53 bits from two
 * engine outputs ({@code ((first & 0x1fffff) << 32 | second) * 2^-53}), {@code r = sqrt(-2 log1p(-u2))},
 * {@code t = 2 pi u1}; the value is {@code r cos t} and {@code r sin t} is kept for the next value, across draws,
 * as torch keeps it on the generator.
 *
 * <p>x86 builds of torch evaluate the 16-value blocks with vectorised log, sin and cos; those may differ from the
 * correctly rounded functions used here in the last bit of some values.
 */
public final class TorchCpuGenerator {

    /** Block size of torch's vectorised normal fill. */
    static final int BLOCK = 16;

    private final Mt19937 engine;
    private boolean hasCachedNormal;
    private double cachedNormal;

    /** A generator freshly seeded with {@code seed} (torch's {@code manual_seed}). */
    public TorchCpuGenerator(long seed) {
        this.engine = new Mt19937(seed);
    }

    private TorchCpuGenerator(TorchCpuGenerator other) {
        this.engine = other.engine.copy();
        this.hasCachedNormal = other.hasCachedNormal;
        this.cachedNormal = other.cachedNormal;
    }

    /** An independent generator in the same state. */
    public TorchCpuGenerator copy() {
        return new TorchCpuGenerator(this);
    }

    /** The next draw of {@code numel} values. */
    public float[] randn(int numel) {
        float[] out = new float[numel];
        fill(out);
        return out;
    }

    /** Fills all of {@code out} with one draw (one {@code torch.randn} call of {@code out.length} values). */
    public void fill(float[] out) {
        if (out.length < BLOCK) {
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) nextDoubleNormal();
            }
            return;
        }
        for (int i = 0; i < out.length; i++) {
            out[i] = uniform24();
        }
        for (int start = 0; start + BLOCK <= out.length; start += BLOCK) {
            boxMuller16(out, start);
        }
        if (out.length % BLOCK != 0) {
            int start = out.length - BLOCK;
            for (int i = start; i < out.length; i++) {
                out[i] = uniform24();
            }
            boxMuller16(out, start);
        }
    }

    /** Engine outputs one float32 draw of {@code numel >= 16} values consumes. */
    static long consumed(long numel) {
        if (numel < BLOCK) {
            throw new IllegalArgumentException("draws of fewer than 16 values depend on the cached normal");
        }
        return numel + (numel % BLOCK == 0 ? 0 : BLOCK);
    }

    private float uniform24() {
        return (engine.nextInt() & 0xFFFFFF) * 0x1p-24f;
    }

    private static void boxMuller16(float[] data, int start) {
        for (int j = 0; j < BLOCK / 2; j++) {
            float u1 = 1f - data[start + j];
            float u2 = data[start + j + BLOCK / 2];
            float radius = (float) StrictMath.sqrt(-2f * (float) StrictMath.log(u1));
            float theta = (float) (2.0 * Math.PI * u2);
            data[start + j] = radius * (float) StrictMath.cos(theta);
            data[start + j + BLOCK / 2] = radius * (float) StrictMath.sin(theta);
        }
    }

    private double nextDoubleNormal() {
        if (hasCachedNormal) {
            hasCachedNormal = false;
            return cachedNormal;
        }
        double u1 = uniform53();
        double u2 = uniform53();
        double radius = StrictMath.sqrt(-2.0 * StrictMath.log1p(-u2));
        double theta = 2.0 * Math.PI * u1;
        cachedNormal = radius * StrictMath.sin(theta);
        hasCachedNormal = true;
        return radius * StrictMath.cos(theta);
    }

    private double uniform53() {
        long first = engine.nextInt() & 0xFFFFFFFFL;
        long second = engine.nextInt() & 0xFFFFFFFFL;
        return (((first << 32) | second) & ((1L << 53) - 1)) * 0x1p-53;
    }

    /** Skips the engine outputs of {@code count} uniforms (used to reach a slice without computing it). */
    void discard(long count) {
        engine.discard(count);
    }
}
