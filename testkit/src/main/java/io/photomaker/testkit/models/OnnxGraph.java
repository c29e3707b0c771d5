package io.photomaker.testkit.models;

import ai.onnx.proto.OnnxMl;
import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.platform.Fp16Conversions;
import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;

/**
 * Small helper over the raw ONNX protobuf builders: declares inputs/outputs, seeded weights and nodes.
 * In float16 mode every float input, output and weight is stored as FLOAT16 and cast to float32 right
 * at the graph boundary, so the arithmetic itself stays in float32 on any execution provider. With float32
 * I/O as well (the export's interface for float16 models), float inputs and outputs are float32 and their
 * values pass through float16 inside the graph, as a float16 model's casts would round them.
 */
final class OnnxGraph {

    static final int OPSET = 17;
    private static final long IR_VERSION = 8;

    private final OnnxMl.GraphProto.Builder graph = OnnxMl.GraphProto.newBuilder();
    private final boolean float16;
    private final boolean float32Io;
    private final long seed;
    private int counter;

    OnnxGraph(String name, boolean float16, long seed) {
        this(name, float16, false, seed);
    }

    OnnxGraph(String name, boolean float16, boolean float32Io, long seed) {
        graph.setName(name);
        this.float16 = float16;
        this.float32Io = float16 && float32Io;
        this.seed = seed;
    }

    /** A dimension: an Integer is fixed, a String is a symbolic (dynamic) dimension. */
    private static OnnxMl.TensorShapeProto shape(Object... dims) {
        var shape = OnnxMl.TensorShapeProto.newBuilder();
        for (Object d : dims) {
            var dim = OnnxMl.TensorShapeProto.Dimension.newBuilder();
            if (d instanceof Integer i) {
                dim.setDimValue(i);
            } else {
                dim.setDimParam((String) d);
            }
            shape.addDim(dim);
        }
        return shape.build();
    }

    private static OnnxMl.ValueInfoProto valueInfo(String name, int elemType, Object... dims) {
        var tensorType = OnnxMl.TypeProto.Tensor.newBuilder().setElemType(elemType).setShape(shape(dims));
        return OnnxMl.ValueInfoProto.newBuilder().setName(name)
                .setType(OnnxMl.TypeProto.newBuilder().setTensorType(tensorType)).build();
    }

    private int floatType() {
        return float16 && !float32Io ? TensorProto.DataType.FLOAT16_VALUE : TensorProto.DataType.FLOAT_VALUE;
    }

    /** Declares a float input; returns the name of its float32 value inside the graph. */
    String floatInput(String name, Object... dims) {
        graph.addInput(valueInfo(name, floatType(), dims));
        if (float32Io) {
            return cast(cast(name, TensorProto.DataType.FLOAT16_VALUE), TensorProto.DataType.FLOAT_VALUE);
        }
        return float16 ? cast(name, TensorProto.DataType.FLOAT_VALUE) : name;
    }

    /** Declares an int64 input; returns its name. */
    String int64Input(String name, Object... dims) {
        graph.addInput(valueInfo(name, TensorProto.DataType.INT64_VALUE, dims));
        return name;
    }

    /** Publishes the float32 value {@code value} as graph output {@code name}. */
    void floatOutput(String value, String name, Object... dims) {
        if (float32Io) {
            graph.addNode(node("Cast", List.of(cast(value, TensorProto.DataType.FLOAT16_VALUE)), name,
                    attr("to", TensorProto.DataType.FLOAT_VALUE)));
        } else if (float16) {
            graph.addNode(node("Cast", List.of(value), name, attr("to", TensorProto.DataType.FLOAT16_VALUE)));
        } else {
            graph.addNode(node("Identity", List.of(value), name));
        }
        graph.addOutput(valueInfo(name, floatType(), dims));
    }

    /** A weight of the given shape drawn from N(0, scale²) with a generator seeded by the weight's name. */
    String weight(String name, double scale, int... dims) {
        var random = new Random(seed * 1_000_003L + name.hashCode());
        float[] values = new float[count(dims)];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextGaussian() * scale);
        }
        return floatConstant(name, values, dims);
    }

    /** A float constant stored in the model's precision; returns its float32 value name. */
    String floatConstant(String name, float[] values, int... dims) {
        if (!float16) {
            return exactFloatConstant(name, values, dims);
        }
        ByteBuffer raw = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            raw.putShort(Fp16Conversions.floatToFp16(v));
        }
        addInitializer(name, TensorProto.DataType.FLOAT16_VALUE, raw.array(), dims);
        return cast(name, TensorProto.DataType.FLOAT_VALUE);
    }

    /** A float32 constant whatever the model precision (for operands that ONNX requires to be float). */
    String exactFloatConstant(String name, float[] values, int... dims) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            raw.putFloat(v);
        }
        addInitializer(name, TensorProto.DataType.FLOAT_VALUE, raw.array(), dims);
        return name;
    }

    /** An int64 constant (axes, shapes, indices). */
    String int64Constant(String name, long[] values, int... dims) {
        ByteBuffer raw = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            raw.putLong(v);
        }
        addInitializer(name, TensorProto.DataType.INT64_VALUE, raw.array(), dims);
        return name;
    }

    private void addInitializer(String name, int dataType, byte[] raw, int... dims) {
        var tensor = TensorProto.newBuilder().setName(name).setDataType(dataType).setRawData(ByteString.copyFrom(raw));
        for (int d : dims) {
            tensor.addDims(d);
        }
        graph.addInitializer(tensor);
    }

    /** Adds a node with one output and returns that output's (generated) name. */
    String op(String opType, List<String> inputs, AttributeProto... attrs) {
        String output = opType.toLowerCase() + "_" + (counter++);
        graph.addNode(node(opType, inputs, output, attrs));
        return output;
    }

    /** Shorthand for a node with the given inputs and no attributes. */
    String op(String opType, String... inputs) {
        return op(opType, List.of(inputs));
    }

    /** {@code Tanh(x @ w + b)}: a dense layer. */
    String dense(String x, String w, String b) {
        return op("Tanh", op("Add", op("MatMul", x, w), b));
    }

    String cast(String value, int toType) {
        return op("Cast", List.of(value), attr("to", toType));
    }

    private NodeProto node(String opType, List<String> inputs, String output, AttributeProto... attrs) {
        var node = NodeProto.newBuilder().setOpType(opType).setName(output + "_node").addAllInput(inputs).addOutput(output);
        for (AttributeProto a : attrs) {
            node.addAttribute(a);
        }
        return node.build();
    }

    static AttributeProto attr(String name, long value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(value).build();
    }

    static AttributeProto attr(String name, float value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(value).build();
    }

    static AttributeProto attr(String name, String value) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(value)).build();
    }

    static AttributeProto ints(String name, long... values) {
        var a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }

    private static int count(int... dims) {
        int n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    /** The serialized model (deterministic: same calls, same bytes). */
    byte[] toBytes() {
        return OnnxMl.ModelProto.newBuilder()
                .setIrVersion(IR_VERSION)
                .setProducerName("photomaker-testkit")
                .addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain("").setVersion(OPSET))
                .setGraph(graph)
                .build()
                .toByteArray();
    }
}
