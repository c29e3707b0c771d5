package io.photomaker.worker.pipeline.noise;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The element type a reference pipeline draws its noise in. torch draws every floating type from the same
 * float32 values and casts them (round to nearest, ties to even), so a draw in {@code bfloat16} or
 * {@code float16} is the float32 draw rounded to that type. The PhotoMaker demo runs in bfloat16 on CUDA;
 * diffusers scripts usually run in float16.
 */
public enum NoiseDtype {
    FLOAT32("float32", 23, -126, Float.MAX_VALUE),
    FLOAT16("float16", 10, -14, 65504f),
    BFLOAT16("bfloat16", 7, -126, Float.MAX_VALUE);

    /** Names as jobs spell them. */
    public static final List<String> NAMES = Arrays.stream(values()).map(NoiseDtype::wireName).toList();

    private final String wireName;
    private final int mantissaBits;
    private final int minNormalExponent;
    private final float maxFinite;

    NoiseDtype(String wireName, int mantissaBits, int minNormalExponent, float maxFinite) {
        this.wireName = wireName;
        this.mantissaBits = mantissaBits;
        this.minNormalExponent = minNormalExponent;
        this.maxFinite = maxFinite;
    }

    /** The name jobs use ({@code float32}, {@code float16}, {@code bfloat16}). */
    public String wireName() {
        return wireName;
    }

    /**
     * The type called {@code name} (case-insensitive).
     *
     * @throws IllegalArgumentException naming the valid names
     */
    public static NoiseDtype of(String name) {
        for (NoiseDtype dtype : values()) {
            if (dtype.wireName.equals(name == null ? "" : name.toLowerCase(Locale.ROOT))) {
                return dtype;
            }
        }
        throw new IllegalArgumentException("noise_dtype must be one of " + String.join(", ", NAMES) + ", was " + name);
    }

    /** {@code value} rounded to this type (ties to even) and widened back to float32. */
    public float round(float value) {
        if (this == FLOAT32 || Float.isNaN(value) || Float.isInfinite(value) || value == 0f) {
            return value;
        }
        float magnitude = Math.abs(value);
        int exponent = Math.max(Math.getExponent(magnitude), minNormalExponent);
        float quantum = Math.scalb(1f, exponent - mantissaBits);
        float rounded = (float) (Math.rint(magnitude / quantum) * quantum);
        if (rounded > maxFinite) {
            rounded = Float.POSITIVE_INFINITY;
        }
        return Math.copySign(rounded, value);
    }

    /** Rounds every element of {@code values} in place. */
    public void roundAll(float[] values) {
        if (this == FLOAT32) {
            return;
        }
        for (int i = 0; i < values.length; i++) {
            values[i] = round(values[i]);
        }
    }
}
