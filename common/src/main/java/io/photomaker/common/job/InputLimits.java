package io.photomaker.common.job;

/**
 * The limits the gateway checked a job's or identity's photos against, carried with the work so the worker
 * enforces exactly what was accepted instead of numbers of its own.
 *
 * @param maxImagePixels largest width x height of one photo (PM_MAX_IMAGE_PIXELS)
 * @param maxImageBytes largest size of one photo file (PM_MAX_IMAGE_BYTES)
 * @param maxImages most photos per job or identity (PM_MAX_IMAGES)
 */
public record InputLimits(long maxImagePixels, int maxImageBytes, int maxImages) {
    /** The gateway's defaults, for work items written before limits travelled with them. */
    public static final InputLimits DEFAULTS = new InputLimits(40_000_000L, 10 << 20, 8);

    public InputLimits {
        if (maxImagePixels < 1 || maxImageBytes < 1 || maxImages < 1) {
            throw new IllegalArgumentException("input limits must be positive: " + maxImagePixels + ", "
                    + maxImageBytes + ", " + maxImages);
        }
    }

    /** {@code limits}, or the defaults when a message carries none. */
    public static InputLimits orDefaults(InputLimits limits) {
        return limits == null ? DEFAULTS : limits;
    }
}
