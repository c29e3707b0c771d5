package io.photomaker.testkit.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.ShortBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/** Opens sessions and builds tensors for tests of the generated models. */
final class OrtTestSupport {

    static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    private OrtTestSupport() {
    }

    static OrtSession open(Path model) throws OrtException {
        try (var options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            return ENV.createSession(model.toString(), options);
        }
    }

    static void assertTensor(Map<String, NodeInfo> infos, String name, OnnxJavaType type, long... shape) {
        NodeInfo info = infos.get(name);
        assertTrue(info != null, () -> "no " + name + " among " + infos.keySet());
        TensorInfo tensor = (TensorInfo) info.getInfo();
        assertEquals(type, tensor.type, name + " type");
        assertArrayEquals(shape, tensor.getShape(), name + " shape " + tensor);
    }

    static float[] random(long seed, int n, double scale) {
        var random = new Random(seed);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) (random.nextGaussian() * scale);
        }
        return values;
    }

    static OnnxTensor floats(float[] values, long... shape) throws OrtException {
        return OnnxTensor.createTensor(ENV, FloatBuffer.wrap(values), shape);
    }

    static OnnxTensor halfs(float[] values, long... shape) throws OrtException {
        short[] half = new short[values.length];
        for (int i = 0; i < values.length; i++) {
            half[i] = ai.onnxruntime.platform.Fp16Conversions.floatToFp16(values[i]);
        }
        return OnnxTensor.createTensor(ENV, ShortBuffer.wrap(half), shape, OnnxJavaType.FLOAT16);
    }

    static OnnxTensor longs(long[] values, long... shape) throws OrtException {
        return OnnxTensor.createTensor(ENV, LongBuffer.wrap(values), shape);
    }

    static float[] output(OrtSession.Result result, String name) {
        OnnxTensor tensor = (OnnxTensor) result.get(name).orElseThrow();
        FloatBuffer buffer = tensor.getFloatBuffer();
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return values;
    }

    static double maxAbsDifference(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
