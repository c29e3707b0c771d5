package io.photomaker.worker.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.photomaker.common.errors.ErrorType;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An SCRFD face detector with InsightFace det_10g's interface: one image input {@code [1, 3, H, W]} (float,
 * usually dynamic H and W) and nine outputs in this order: scores, box distances and keypoint offsets at
 * strides 8, 16 and 32 ({@code [anchors, 1]}, {@code [anchors, 4]}, {@code [anchors, 10]}, or the same with a
 * leading batch of 1). Port names are whatever the export gave them (det_10g numbers them); they are probed
 * by position. This class only runs the network; the arithmetic around it is in
 * {@code io.photomaker.worker.pipeline.face}.
 */
public final class FaceDetector extends OnnxModel {

    private static final int[] WIDTHS = {1, 1, 1, 4, 4, 4, 10, 10, 10};

    /** One run: the input blob and the nine outputs, flattened, with their shapes (for tensor dumps). */
    public record Run(float[] input, long[] inputShape, float[][] outputs, long[][] outputShapes) {
    }

    private final String inputName;
    private final List<String> outputNames;
    private final int fixedSize;
    private final TensorSlot image;

    /**
     * Opens the detector at {@code path}.
     *
     * @throws ModelException model_interface_mismatch naming the file when the interface differs
     */
    public FaceDetector(SessionFactory factory, Path path) {
        super(factory, path, expected());
        this.inputName = inputPorts().get(0).name();
        this.outputNames = outputPorts().stream().map(Port::name).toList();
        Port in = inputPorts().get(0);
        this.fixedSize = in.dim(2) > 0 ? (int) in.dim(2) : 0;
        this.image = new TensorSlot(factory.environment(), in.type());
    }

    private static ModelInterface expected() {
        ModelInterface m = ModelInterface.of("face_detector").inputByPosition(ElementType.FLOATS, 1, 3, -1, -1);
        for (int width : WIDTHS) {
            m.outputByPosition(ElementType.FLOATS, List.of(new long[] {-1, width}, new long[] {1, -1, width}));
        }
        return m;
    }

    /** The square input size the model is fixed to, or 0 when it takes any size. */
    public int fixedSize() {
        return fixedSize;
    }

    /** Runs the network on one blob {@code [1, 3, size, size]}. */
    public Run run(float[] blob, int size) {
        if (blob.length != 3 * size * size) {
            throw new IllegalArgumentException("expected a 3x" + size + "x" + size + " blob, got " + blob.length + " values");
        }
        if (fixedSize > 0 && size != fixedSize) {
            throw new ModelException(ErrorType.UNSUPPORTED_SHAPE, "face_detector " + path() + " takes only "
                    + fixedSize + "x" + fixedSize + " inputs, not " + size + "x" + size);
        }
        long[] shape = {1, 3, size, size};
        try {
            image.shaped(shape);
        } catch (OrtException e) {
            throw new ModelException(ErrorType.MODEL_RUN_FAILED, "face_detector: cannot create input tensor", true, e);
        }
        image.putFloats(0, blob, 0, blob.length);
        try (OrtSession.Result result = run(Map.of(inputName, image.tensor()), Set.copyOf(outputNames))) {
            float[][] outputs = new float[outputNames.size()][];
            long[][] shapes = new long[outputNames.size()][];
            List<String> problems = new ArrayList<>();
            for (int i = 0; i < outputs.length; i++) {
                outputs[i] = floats(result, outputNames.get(i));
                shapes[i] = shapeOf(result, outputNames.get(i));
                if (shapes[i][shapes[i].length - 1] != WIDTHS[i]) {
                    problems.add("output " + i + " has shape " + java.util.Arrays.toString(shapes[i]));
                }
            }
            if (!problems.isEmpty()) {
                throw new ModelException(ErrorType.MODEL_INTERFACE_MISMATCH, "face_detector " + path()
                        + " returned unexpected shapes: " + String.join("; ", problems));
            }
            return new Run(blob, shape, outputs, shapes);
        }
    }

    @Override
    protected void closeResources() {
        image.close();
    }
}
