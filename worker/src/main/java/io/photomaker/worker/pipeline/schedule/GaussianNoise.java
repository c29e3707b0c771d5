package io.photomaker.worker.pipeline.schedule;

import java.util.SplittableRandom;

/**
 * A deterministic stream of standard normal floats for one seed: the same seed gives the same sequence on any
 * machine, JVM and thread, however the draws are split into {@link #fill} calls.
 *
 * <p>Uniform doubles come from {@link SplittableRandom} (SplitMix64); normal pairs are made with Marsaglia's polar
 * method (two uniforms in (-1, 1), rejected outside the unit disc, scaled by sqrt(-2 ln s / s)), using
 * {@link StrictMath} so results do not depend on platform intrinsics. Both values of each pair are used, in order.
 * An instance is not thread-safe. Benchmarks and tests use it; jobs draw torch-compatible noise
 * ({@code io.photomaker.worker.pipeline.noise}).
 */
public final class GaussianNoise implements StepNoise {

    private final long seed;
    private final SplittableRandom random;
    private boolean hasSpare;
    private double spare;

    /** A stream for {@code seed}. */
    public GaussianNoise(long seed) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
    }

    /** The seed this stream was created with. */
    public long seed() {
        return seed;
    }

    /** The next standard normal value. */
    public float nextFloat() {
        if (hasSpare) {
            hasSpare = false;
            return (float) spare;
        }
        double u;
        double v;
        double s;
        do {
            u = 2.0 * random.nextDouble() - 1.0;
            v = 2.0 * random.nextDouble() - 1.0;
            s = u * u + v * v;
        } while (s >= 1.0 || s == 0.0);
        double scale = StrictMath.sqrt(-2.0 * StrictMath.log(s) / s);
        spare = v * scale;
        hasSpare = true;
        return (float) (u * scale);
    }

    /** The next values of the stream, whatever the step. */
    @Override
    public void fill(int step, float[] out) {
        fill(out);
    }

    /** Overwrites every element of {@code out} with the next values of the stream. */
    public void fill(float[] out) {
        fill(out, 0, out.length);
    }

    /** Overwrites {@code out[offset .. offset+length)} with the next values of the stream. */
    public void fill(float[] out, int offset, int length) {
        for (int k = offset, end = offset + length; k < end; k++) {
            out[k] = nextFloat();
        }
    }
}
