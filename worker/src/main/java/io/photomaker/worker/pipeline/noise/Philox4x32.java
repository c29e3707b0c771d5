package io.photomaker.worker.pipeline.noise;

/**
 * The Philox4x32-10 block function (Salmon et al., "Parallel random numbers: as easy as 1, 2, 3", SC 2011), as
 * cuRAND's {@code curandStatePhilox4_32_10_t} computes it: a 128-bit counter {@code (c0, c1, c2, c3)} and a
 * 64-bit key {@code (k0, k1)} give four 32-bit outputs after ten rounds. One round:
 * {@code (hi0, lo0) = M0 * c0}, {@code (hi1, lo1) = M1 * c2},
 * {@code counter' = (hi1 ^ c1 ^ k0, lo1, hi0 ^ c3 ^ k1, lo0)}; the key is bumped by {@code (W0, W1)} after
 * each of the first nine rounds. Pure and allocation-free.
 */
final class Philox4x32 {

    static final long M0 = 0xD2511F53L;
    static final long M1 = 0xCD9E8D57L;
    static final int W0 = 0x9E3779B9;
    static final int W1 = 0xBB67AE85;
    static final int ROUNDS = 10;

    private Philox4x32() {
    }

    /** Writes the four outputs for counter {@code (c0..c3)} and key {@code (k0, k1)} into {@code out[0..3]}. */
    static void block(int c0, int c1, int c2, int c3, int k0, int k1, int[] out) {
        for (int round = 0; round < ROUNDS; round++) {
            long product0 = M0 * (c0 & 0xFFFFFFFFL);
            long product1 = M1 * (c2 & 0xFFFFFFFFL);
            int next0 = (int) (product1 >>> 32) ^ c1 ^ k0;
            int next1 = (int) product1;
            int next2 = (int) (product0 >>> 32) ^ c3 ^ k1;
            int next3 = (int) product0;
            c0 = next0;
            c1 = next1;
            c2 = next2;
            c3 = next3;
            if (round < ROUNDS - 1) {
                k0 += W0;
                k1 += W1;
            }
        }
        out[0] = c0;
        out[1] = c1;
        out[2] = c2;
        out[3] = c3;
    }
}
