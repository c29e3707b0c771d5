package io.photomaker.worker.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.photomaker.common.errors.ErrorType;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * One ONNX model and the session that runs it. At load the session's inputs and outputs (names, element
 * types, shapes) are probed and compared with what the subclass drives; a mismatch fails fast naming the
 * file. Owns the session and its options; close it once. Not thread-safe: one caller at a time.
 */
public abstract class OnnxModel implements AutoCloseable {

    private final Path path;
    private final String name;
    private final OrtEnvironment environment;
    private final SessionFactory.OpenSession open;
    private final Map<String, Port> inputs;
    private final Map<String, Port> outputs;
    private CallRecorder recorder;
    private boolean closed;

    /**
     * Opens and checks the model.
     *
     * @throws ModelException model_load_failed or model_interface_mismatch, naming {@code path}
     */
    protected OnnxModel(SessionFactory factory, Path path, ModelInterface expected) {
        this.path = path;
        this.name = expected.modelName();
        this.environment = factory.environment();
        this.open = factory.open(path);
        try {
            this.inputs = ModelInterface.ports(open.session().getInputInfo());
            this.outputs = ModelInterface.ports(open.session().getOutputInfo());
            expected.check(path, inputs, outputs);
        } catch (OrtException e) {
            open.close();
            throw new ModelException(ErrorType.MODEL_LOAD_FAILED, name + " model " + path
                    + ": cannot read its inputs and outputs: " + e.getMessage(), false, e);
        } catch (RuntimeException e) {
            open.close();
            throw e;
        }
    }

    /** The model file. */
    public Path path() {
        return path;
    }

    /** The model's role name (text_encoder, unet, ...). */
    public String name() {
        return name;
    }

    /** The probed input called {@code portName}. */
    public Port input(String portName) {
        return require(inputs, portName, "input");
    }

    /** The probed output called {@code portName}. */
    public Port output(String portName) {
        return require(outputs, portName, "output");
    }

    /** The probed inputs in the model's order. */
    protected List<Port> inputPorts() {
        return java.util.List.copyOf(inputs.values());
    }

    /** The probed outputs in the model's order. */
    protected List<Port> outputPorts() {
        return java.util.List.copyOf(outputs.values());
    }

    private Port require(Map<String, Port> ports, String portName, String kind) {
        Port port = ports.get(portName);
        if (port == null) {
            throw new IllegalArgumentException(name + " model has no " + kind + " " + portName);
        }
        return port;
    }

    /** The environment tensors for this model are created in. */
    protected OrtEnvironment environment() {
        return environment;
    }

    protected OrtSession session() {
        return open.session();
    }

    /** Attaches a recorder that sees every later run of this model; null detaches it. */
    public void setRecorder(CallRecorder value) {
        this.recorder = value;
    }

    /** Runs the model returning only {@code wanted} outputs; the caller closes the result. */
    protected OrtSession.Result run(Map<String, OnnxTensor> feeds, Set<String> wanted) {
        OrtSession.Result result;
        try {
            result = open.session().run(feeds, wanted);
        } catch (OrtException e) {
            throw runFailure(e);
        }
        if (recorder != null) {
            Map<String, OnnxValue> read = new LinkedHashMap<>();
            result.forEach(entry -> read.put(entry.getKey(), entry.getValue()));
            recorder.onRun(name, null, feeds, read);
        }
        return result;
    }

    /** Runs the model writing the outputs into the given pinned tensors (no allocation of outputs). */
    protected void runInto(Map<String, OnnxTensor> feeds, Map<String, ? extends OnnxValue> pinnedOutputs) {
        runInto(feeds, pinnedOutputs, null);
    }

    /** As {@link #runInto(Map, Map)}, telling a recorder what the run was for. */
    protected void runInto(Map<String, OnnxTensor> feeds, Map<String, ? extends OnnxValue> pinnedOutputs, String note) {
        try (OrtSession.Result ignored = open.session().run(feeds, pinnedOutputs)) {
            // outputs are already in the pinned tensors' buffers
        } catch (OrtException e) {
            throw runFailure(e);
        }
        if (recorder != null) {
            recorder.onRun(name, note, feeds, pinnedOutputs);
        }
    }

    private ModelException runFailure(OrtException e) {
        return new ModelException(ErrorType.MODEL_RUN_FAILED, name + " model " + path + " failed to run: "
                + e.getMessage(), true, e);
    }

    /** Copies a float32 or float16 output tensor into a new float array (float16 upcast). */
    protected static float[] floats(OrtSession.Result result, String output) {
        OnnxValue value = result.get(output).orElseThrow(() -> new IllegalStateException("no output " + output));
        FloatBuffer buffer = ((OnnxTensor) value).getFloatBuffer();
        float[] copy = new float[buffer.remaining()];
        buffer.get(copy);
        return copy;
    }

    /**
     * Output {@code output} as floats, which must number {@code expected}: a model that returns another size does
     * not have the interface its loader probed (model_interface_mismatch, naming the file and {@code forWhat}).
     */
    protected final float[] floats(OrtSession.Result result, String output, int expected, String forWhat) {
        float[] values = floats(result, output);
        if (values.length != expected) {
            throw new ModelException(ErrorType.MODEL_INTERFACE_MISMATCH, name + " " + path + " returned "
                    + Arrays.toString(shapeOf(result, output)) + " (" + values.length + " values) for "
                    + forWhat + ", expected " + expected + " values");
        }
        return values;
    }

    /**
     * Runs a model whose batch dimension may be pinned to 1: {@code count} items in runs of {@code batch}, each run
     * returning {@code width} floats per item; the items' rows in input order.
     */
    protected static List<float[]> rowsInBatches(int count, int batch, int width,
            BiFunction<Integer, Integer, float[]> runFromFirst) {
        List<float[]> rows = new ArrayList<>(count);
        for (int first = 0; first < count; first += batch) {
            float[] out = runFromFirst.apply(first, batch);
            for (int i = 0; i < batch; i++) {
                rows.add(Arrays.copyOfRange(out, i * width, (i + 1) * width));
            }
        }
        return rows;
    }

    /** The declared sizes of an output's shape as ONNX Runtime returned them for this run. */
    protected static long[] shapeOf(OrtSession.Result result, String output) {
        return ((OnnxTensor) result.get(output).orElseThrow()).getInfo().getShape();
    }

    /** Subclasses release their tensor slots here; called once, before the session closes. */
    protected void closeResources() {
    }

    /** Whether {@link #close()} has run. */
    public boolean isClosed() {
        return closed;
    }

    @Override
    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            closeResources();
        } finally {
            open.close();
        }
    }
}
