package io.photomaker.worker.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.photomaker.common.errors.ErrorType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An ArcFace face recognizer with InsightFace w600k_r50's interface: one aligned crop {@code [N, 3, 112, 112]}
 * in (RGB, {@code (x - 127.5) / 127.5}), one embedding {@code [N, E]} out (E = 512), raw, not normalised. Port
 * names are probed by position (the export numbers them).
 */
public final class FaceRecognizer extends OnnxModel {

    /** Side of the aligned crop. */
    public static final int CROP = 112;

    private final String inputName;
    private final String outputName;
    private final int embeddingWidth;
    private final TensorSlot crop;

    /**
     * Opens the recognizer at {@code path}.
     *
     * @throws ModelException model_interface_mismatch naming the file when the interface differs
     */
    public FaceRecognizer(SessionFactory factory, Path path) {
        super(factory, path, ModelInterface.of("face_recognizer")
                .inputByPosition(ElementType.FLOATS, -1, 3, CROP, CROP)
                .outputByPosition(ElementType.FLOATS, List.of(new long[] {-1, -1})));
        this.inputName = inputPorts().get(0).name();
        Port out = outputPorts().get(0);
        this.outputName = out.name();
        if (out.dim(1) <= 0) {
            close();
            throw new ModelException(ErrorType.MODEL_INTERFACE_MISMATCH, "face_recognizer " + path
                    + " must declare its embedding width, has " + out);
        }
        this.embeddingWidth = (int) out.dim(1);
        this.crop = new TensorSlot(factory.environment(), inputPorts().get(0).type());
    }

    /** Width of one embedding (512 for w600k_r50). */
    public int embeddingWidth() {
        return embeddingWidth;
    }

    /** The raw embedding of one crop given as its input tensor {@code [3, 112, 112]}. */
    public float[] embed(float[] cropTensor) {
        if (cropTensor.length != 3 * CROP * CROP) {
            throw new IllegalArgumentException("expected a 3x112x112 crop, got " + cropTensor.length + " values");
        }
        try {
            crop.shaped(1, 3, CROP, CROP);
        } catch (OrtException e) {
            throw new ModelException(ErrorType.MODEL_RUN_FAILED, "face_recognizer: cannot create input tensor", true, e);
        }
        crop.putFloats(0, cropTensor, 0, cropTensor.length);
        try (OrtSession.Result result = run(Map.of(inputName, crop.tensor()), Set.of(outputName))) {
            return floats(result, outputName, embeddingWidth, "one crop");
        }
    }

    @Override
    protected void closeResources() {
        if (crop != null) {
            crop.close();
        }
    }
}
