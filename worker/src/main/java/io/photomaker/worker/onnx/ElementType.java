package io.photomaker.worker.onnx;

import ai.onnxruntime.OnnxJavaType;
import java.util.EnumSet;
import java.util.Set;

/** Element type of a model input or output, as far as this code distinguishes them. */
public enum ElementType {
    FLOAT32, FLOAT16, INT64, INT32, OTHER;

    /** Float inputs/outputs may be stored in either precision; values are converted at the boundary. */
    public static final Set<ElementType> FLOATS = EnumSet.of(FLOAT32, FLOAT16);
    /** Token ids: int64 in our contract, int32 in some exports. */
    public static final Set<ElementType> TOKEN_IDS = EnumSet.of(INT64, INT32);

    static ElementType of(OnnxJavaType type) {
        return switch (type) {
            case FLOAT -> FLOAT32;
            case FLOAT16 -> FLOAT16;
            case INT64 -> INT64;
            case INT32 -> INT32;
            default -> OTHER;
        };
    }

    /** Bytes per element in a tensor buffer. */
    int bytes() {
        return switch (this) {
            case FLOAT32, INT32 -> 4;
            case FLOAT16 -> 2;
            case INT64 -> 8;
            case OTHER -> throw new IllegalStateException("no buffer layout for " + this);
        };
    }
}
