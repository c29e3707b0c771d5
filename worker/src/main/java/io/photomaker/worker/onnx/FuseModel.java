package io.photomaker.worker.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.photomaker.common.errors.ErrorType;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * PhotoMaker's fuse module: class-token rows of the prompt embedding [M, D] and one ID embedding row per
 * class token [M, D] in, the stacked ID embedding rows [M, D] out. Fixed-batch exports run row by row.
 */
public final class FuseModel extends OnnxModel {

    private static final String PROMPT = "prompt_embeds";
    private static final String ID = "id_embeds";
    private static final String FUSED = "fused_embeds";

    private final int dim;
    private final boolean oneRowPerRun;
    private final TensorSlot prompt;
    private final TensorSlot id;

    public FuseModel(SessionFactory factory, Path path, int dim) {
        super(factory, path, ModelInterface.of("fuse")
                .input(PROMPT, ElementType.FLOATS, -1, dim)
                .input(ID, ElementType.FLOATS, -1, dim)
                .output(FUSED, ElementType.FLOATS, -1, dim));
        this.dim = dim;
        this.oneRowPerRun = input(PROMPT).dim(0) == 1;
        this.prompt = new TensorSlot(factory.environment(), input(PROMPT).type());
        this.id = new TensorSlot(factory.environment(), input(ID).type());
    }

    /** Fuses {@code rows} class-token rows with as many ID rows; returns [rows * D]. */
    public float[] fuse(float[] classRows, float[] idRows, int rows) {
        if (rows < 1 || classRows.length != rows * dim || idRows.length != rows * dim) {
            throw new IllegalArgumentException("expected " + rows + " rows of " + dim + " floats in both inputs");
        }
        float[] fused = new float[rows * dim];
        int batch = oneRowPerRun ? 1 : rows;
        for (int first = 0; first < rows; first += batch) {
            float[] out = runBatch(classRows, idRows, first * dim, batch);
            System.arraycopy(out, 0, fused, first * dim, batch * dim);
        }
        return fused;
    }

    private float[] runBatch(float[] classRows, float[] idRows, int offset, int batch) {
        try {
            prompt.shaped(batch, dim);
            id.shaped(batch, dim);
        } catch (OrtException e) {
            throw new ModelException(ErrorType.MODEL_RUN_FAILED, "fuse: cannot create input tensors", true, e);
        }
        prompt.putFloats(0, classRows, offset, batch * dim);
        id.putFloats(0, idRows, offset, batch * dim);
        try (OrtSession.Result result = run(Map.of(PROMPT, prompt.tensor(), ID, id.tensor()), Set.of(FUSED))) {
            return floats(result, FUSED);
        }
    }

    @Override
    protected void closeResources() {
        prompt.close();
        id.close();
    }
}
