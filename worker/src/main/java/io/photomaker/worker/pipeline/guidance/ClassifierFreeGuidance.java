package io.photomaker.worker.pipeline.guidance;

/**
 * Classifier-free guidance over one sample's noise predictions: {@code eps = u + g (c - u)}, optionally followed by
 * diffusers' {@code rescale_noise_cfg} (Lin et al. 2023, section 3.4): the guided prediction is rescaled to the
 * standard deviation of the conditional one and blended with weight {@code rescale}. Standard deviations are
 * taken over all elements of the sample (torch's unbiased estimator; the blend only uses their ratio).
 * Static and allocation-free; {@code out} may alias either input.
 */
public final class ClassifierFreeGuidance {

    private ClassifierFreeGuidance() {
    }

    /**
     * Guided prediction from separate unconditional and conditional predictions.
     *
     * @param scale   guidance scale g (1 returns the conditional prediction)
     * @param rescale guidance_rescale in [0, 1]; 0 skips the rescaling pass
     */
    public static void combine(float[] uncond, float[] cond, float scale, float rescale, float[] out) {
        if (uncond.length != out.length || cond.length != out.length) {
            throw new IllegalArgumentException("uncond, cond and out must have the same length, got "
                    + uncond.length + ", " + cond.length + ", " + out.length);
        }
        combine(uncond, 0, cond, 0, scale, rescale, out);
    }

    /**
     * Guided prediction from a batch-2 UNet output laid out as [uncond; cond] ({@code 2 * out.length} floats).
     */
    public static void combine(float[] batch, float scale, float rescale, float[] out) {
        if (batch.length != 2 * out.length) {
            throw new IllegalArgumentException("batch must hold two samples of " + out.length + " floats, got "
                    + batch.length);
        }
        combine(batch, 0, batch, out.length, scale, rescale, out);
    }

    private static void combine(float[] uncond, int uncondOffset, float[] cond, int condOffset, float scale,
            float rescale, float[] out) {
        if (!Float.isFinite(scale)) {
            throw new IllegalArgumentException("guidance scale must be finite, got " + scale);
        }
        if (!(rescale >= 0f && rescale <= 1f)) {
            throw new IllegalArgumentException("guidance rescale must be in [0, 1], got " + rescale);
        }
        if (rescale == 0f) {
            guide(uncond, uncondOffset, cond, condOffset, scale, out);
        } else {
            guideAndRescale(uncond, uncondOffset, cond, condOffset, scale, rescale, out);
        }
    }

    private static void guide(float[] uncond, int uncondOffset, float[] cond, int condOffset, float scale,
            float[] out) {
        for (int k = 0; k < out.length; k++) {
            float u = uncond[uncondOffset + k];
            out[k] = u + scale * (cond[condOffset + k] - u);
        }
    }

    private static void guideAndRescale(float[] uncond, int uncondOffset, float[] cond, int condOffset, float scale,
            float rescale, float[] out) {
        int n = out.length;
        double condSum = 0;
        double condSquares = 0;
        double guidedSum = 0;
        double guidedSquares = 0;
        for (int k = 0; k < n; k++) {
            float u = uncond[uncondOffset + k];
            float c = cond[condOffset + k];
            float guided = u + scale * (c - u);
            out[k] = guided;
            condSum += c;
            condSquares += (double) c * c;
            guidedSum += guided;
            guidedSquares += (double) guided * guided;
        }
        float condStd = (float) unbiasedStd(condSum, condSquares, n);
        float guidedStd = (float) unbiasedStd(guidedSum, guidedSquares, n);
        if (!(guidedStd > 0f) || !Float.isFinite(condStd)) {
            // a constant guided prediction has no spread to rescale (torch would divide by zero here)
            return;
        }
        float ratio = condStd / guidedStd;
        float keep = 1f - rescale;
        for (int k = 0; k < n; k++) {
            float guided = out[k];
            out[k] = rescale * (guided * ratio) + keep * guided;
        }
    }

    private static double unbiasedStd(double sum, double squares, int n) {
        if (n < 2) {
            return Double.NaN;
        }
        double variance = (squares - sum * sum / n) / (n - 1);
        return Math.sqrt(Math.max(0.0, variance));
    }
}
