package io.photomaker.worker.pipeline.noise;

/**
 * The 32-bit Mersenne Twister MT19937 (Matsumoto and Nishimura 1998) with the reference {@code init_genrand}
 * seeding, as torch's CPU generator uses it ({@code at::mt19937}: only the low 32 bits of the seed count).
 * {@link #copy()} snapshots the state. Not thread-safe.
 */
final class Mt19937 {

    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908B0DF;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7FFFFFFF;

    private final int[] state;
    private int next;

    Mt19937(long seed) {
        state = new int[N];
        state[0] = (int) seed;
        for (int i = 1; i < N; i++) {
            state[i] = 1812433253 * (state[i - 1] ^ (state[i - 1] >>> 30)) + i;
        }
        next = N;
    }

    private Mt19937(Mt19937 other) {
        state = other.state.clone();
        next = other.next;
    }

    Mt19937 copy() {
        return new Mt19937(this);
    }

    /** The next 32-bit output (as an int; read it unsigned). */
    int nextInt() {
        if (next >= N) {
            twist();
        }
        int y = state[next++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9D2C5680;
        y ^= (y << 15) & 0xEFC60000;
        y ^= y >>> 18;
        return y;
    }

    /** Skips {@code count} outputs. */
    void discard(long count) {
        for (long k = 0; k < count; k++) {
            if (next >= N) {
                twist();
            }
            next++;
        }
    }

    private void twist() {
        for (int k = 0; k < N; k++) {
            int y = (state[k] & UPPER_MASK) | (state[(k + 1) % N] & LOWER_MASK);
            state[k] = state[(k + M) % N] ^ (y >>> 1) ^ ((y & 1) != 0 ? MATRIX_A : 0);
        }
        next = 0;
    }
}
