package io.photomaker.worker.onnx;

import java.util.Arrays;

/**
 * One input or output of a loaded model as ONNX Runtime reports it: name, element type and declared
 * shape, where -1 marks a dynamic (symbolic) dimension.
 */
public record Port(String name, ElementType type, long[] shape) {

    public Port {
        shape = shape.clone();
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Declared size of dimension {@code i}, -1 when dynamic. */
    public long dim(int i) {
        return shape[i];
    }

    /** Whether dimension {@code i} accepts {@code size}. */
    public boolean accepts(int i, long size) {
        return shape[i] < 0 || shape[i] == size;
    }

    @Override
    public String toString() {
        return name + " " + type + " " + Arrays.toString(shape).replace("-1", "?");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Port p && p.name.equals(name) && p.type == type && Arrays.equals(p.shape, shape);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }
}
