package io.photomaker.worker.pipeline.guidance;

/**
 * SDXL micro-conditioning and PhotoMaker's delayed subject conditioning: which step switches the conditional
 * branch from the text-only prompt to the ID-fused prompt.
 */
public final class SdxlConditioning {

    /** PhotoMaker's demos never delay the identity past this step. */
    public static final int MAX_START_MERGE_STEP = 30;

    private SdxlConditioning() {
    }

    /**
     * SDXL's add_time_ids: {@code [orig_h, orig_w, crop_top, crop_left, target_h, target_w]}, used for both the
     * negative and the positive branch.
     */
    public static float[] timeIds(int originalHeight, int originalWidth, int cropTop, int cropLeft, int targetHeight,
            int targetWidth) {
        requirePositive("original height", originalHeight);
        requirePositive("original width", originalWidth);
        requirePositive("target height", targetHeight);
        requirePositive("target width", targetWidth);
        if (cropTop < 0 || cropLeft < 0) {
            throw new IllegalArgumentException("crop coordinates must not be negative, got " + cropTop + ", "
                    + cropLeft);
        }
        return new float[] {originalHeight, originalWidth, cropTop, cropLeft, targetHeight, targetWidth};
    }

    /**
     * The last step that still uses the text-only prompt: {@code min(int(style_strength / 100 * steps), 30)},
     * evaluated in double exactly as the reference demo does (so 29% of 100 steps gives 28).
     */
    public static int startMergeStep(double styleStrengthPercent, int steps) {
        if (!(styleStrengthPercent >= 0 && styleStrengthPercent <= 100)) {
            throw new IllegalArgumentException("style strength must be in [0, 100] percent, got "
                    + styleStrengthPercent);
        }
        requirePositive("steps", steps);
        int step = (int) (styleStrengthPercent / 100 * steps);
        return Math.min(step, MAX_START_MERGE_STEP);
    }

    /** Whether step {@code stepIndex} conditions on the ID-fused prompt (the reference uses {@code i > start}). */
    public static boolean useIdEmbeddings(int stepIndex, int startMergeStep) {
        return stepIndex > startMergeStep;
    }

    private static void requirePositive(String what, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(what + " must be positive, got " + value);
        }
    }
}
