package io.photomaker.worker.pipeline.schedule;

/** Small float32 helpers shared by the sigma-space (Karras-style) schedulers. */
final class SigmaMath {

    private SigmaMath() {
    }

    /** sqrt(sigma^2 + 1) for each of the first {@code steps} sigmas, in float32 like torch. */
    static float[] inputDivisors(float[] sigmas, int steps) {
        float[] out = new float[steps];
        for (int i = 0; i < steps; i++) {
            out[i] = (float) Math.sqrt(sigmas[i] * sigmas[i] + 1f);
        }
        return out;
    }

    /**
     * diffusers' init_noise_sigma for the Euler family: the largest sigma, or sqrt(max^2 + 1) with leading
     * spacing.
     */
    static float initNoiseSigma(float[] sigmas, String timestepSpacing) {
        float max = 0f;
        for (float sigma : sigmas) {
            max = Math.max(max, sigma);
        }
        if (timestepSpacing.equals("linspace") || timestepSpacing.equals("trailing")) {
            return max;
        }
        return (float) Math.sqrt(max * max + 1f);
    }

    /** out = sample / divisor, element-wise (out may be sample). */
    static void divide(float[] sample, float divisor, float[] out) {
        requireSameLength(sample, out);
        for (int k = 0; k < sample.length; k++) {
            out[k] = sample[k] / divisor;
        }
    }

    /** Copies sample into out unless they are the same array. */
    static void copy(float[] sample, float[] out) {
        requireSameLength(sample, out);
        if (sample != out) {
            System.arraycopy(sample, 0, out, 0, sample.length);
        }
    }

    static void requireSameLength(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("buffer lengths differ: " + a.length + " vs " + b.length);
        }
    }

    /** (float) log in float32 like torch.log on a 0-dim tensor. */
    static float log(float x) {
        return (float) Math.log(x);
    }

    /** (float) exp in float32 like torch.exp on a 0-dim tensor. */
    static float exp(float x) {
        return (float) Math.exp(x);
    }
}
