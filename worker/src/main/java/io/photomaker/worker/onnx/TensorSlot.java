package io.photomaker.worker.onnx;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.platform.Fp16Conversions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.util.Arrays;

/**
 * A reusable tensor over a direct buffer of one element type. ONNX Runtime reads (inputs) or writes
 * (pinned outputs) the buffer in place, so values written between runs need no new tensor; the tensor and
 * buffer are replaced only when the shape changes. Floats are converted to/from float16 when the model
 * stores that precision. Not thread-safe.
 */
public final class TensorSlot implements AutoCloseable {

    private final OrtEnvironment environment;
    private final ElementType type;
    private long[] shape = new long[] {-1};
    private OnnxTensor tensor;
    private FloatBuffer floats;
    private ShortBuffer halfs;
    private LongBuffer longs;
    private IntBuffer ints;

    public TensorSlot(OrtEnvironment environment, ElementType type) {
        if (type == ElementType.OTHER) {
            throw new IllegalArgumentException("unsupported tensor element type " + type);
        }
        this.environment = environment;
        this.type = type;
    }

    public ElementType type() {
        return type;
    }

    /** The tensor of the given shape, created (with a new zeroed buffer) only if the shape changed. */
    public OnnxTensor shaped(long... newShape) throws OrtException {
        if (tensor != null && Arrays.equals(shape, newShape)) {
            return tensor;
        }
        closeTensor();
        long count = 1;
        for (long d : newShape) {
            count *= d;
        }
        ByteBuffer raw = ByteBuffer.allocateDirect(Math.toIntExact(count * type.bytes())).order(ByteOrder.nativeOrder());
        tensor = switch (type) {
            case FLOAT32 -> OnnxTensor.createTensor(environment, floats = raw.asFloatBuffer(), newShape);
            case FLOAT16 -> OnnxTensor.createTensor(environment, halfs = raw.asShortBuffer(), newShape, OnnxJavaType.FLOAT16);
            case INT64 -> OnnxTensor.createTensor(environment, longs = raw.asLongBuffer(), newShape);
            case INT32 -> OnnxTensor.createTensor(environment, ints = raw.asIntBuffer(), newShape);
            case OTHER -> throw new IllegalStateException();
        };
        shape = newShape.clone();
        return tensor;
    }

    /** The current tensor; {@link #shaped} must have been called. */
    public OnnxTensor tensor() {
        if (tensor == null) {
            throw new IllegalStateException("tensor slot has no shape yet");
        }
        return tensor;
    }

    /** Writes {@code length} floats from {@code src[srcOffset..]} at element {@code offset}. */
    public void putFloats(int offset, float[] src, int srcOffset, int length) {
        if (type == ElementType.FLOAT32) {
            floats.put(offset, src, srcOffset, length);
        } else if (type == ElementType.FLOAT16) {
            for (int i = 0; i < length; i++) {
                halfs.put(offset + i, Fp16Conversions.floatToFp16(src[srcOffset + i]));
            }
        } else {
            throw new IllegalStateException("not a float tensor: " + type);
        }
    }

    /** Sets {@code length} elements from {@code offset} to {@code value}. */
    public void fillFloats(int offset, int length, float value) {
        for (int i = 0; i < length; i++) {
            if (type == ElementType.FLOAT32) {
                floats.put(offset + i, value);
            } else {
                halfs.put(offset + i, Fp16Conversions.floatToFp16(value));
            }
        }
    }

    /** Writes one number, converted to the slot's type (integers are rounded). */
    public void putNumber(int offset, double value) {
        switch (type) {
            case FLOAT32 -> floats.put(offset, (float) value);
            case FLOAT16 -> halfs.put(offset, Fp16Conversions.floatToFp16((float) value));
            case INT64 -> longs.put(offset, Math.round(value));
            case INT32 -> ints.put(offset, (int) Math.round(value));
            case OTHER -> throw new IllegalStateException();
        }
    }

    /** Writes integers (token ids) at element {@code offset}. */
    public void putLongs(int offset, long[] src) {
        for (int i = 0; i < src.length; i++) {
            putNumber(offset + i, src[i]);
        }
    }

    /** Reads {@code length} floats (upcast from float16 if needed) at element {@code offset} into {@code dst}. */
    public void getFloats(int offset, float[] dst, int dstOffset, int length) {
        if (type == ElementType.FLOAT32) {
            floats.get(offset, dst, dstOffset, length);
        } else if (type == ElementType.FLOAT16) {
            for (int i = 0; i < length; i++) {
                dst[dstOffset + i] = Fp16Conversions.fp16ToFloat(halfs.get(offset + i));
            }
        } else {
            throw new IllegalStateException("not a float tensor: " + type);
        }
    }

    private void closeTensor() {
        if (tensor != null) {
            tensor.close();
            tensor = null;
        }
    }

    @Override
    public void close() {
        closeTensor();
    }
}
