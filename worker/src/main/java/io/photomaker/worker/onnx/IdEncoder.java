package io.photomaker.worker.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.photomaker.common.errors.ErrorType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The PhotoMaker ID encoder: preprocessed ID images [N, 3, S, S] in, one ID embedding per image out
 * ([N, D], or [N, tokens, D] flattened per image). Models exported with a fixed batch of one are run once
 * per image.
 */
public final class IdEncoder extends OnnxModel {

    private static final String PIXELS = "id_pixel_values";
    private static final String EMBEDS = "id_embeds";

    private final int imageSize;
    private final int embeddingWidth;
    private final boolean oneImagePerRun;
    private final TensorSlot pixels;

    /**
     * Opens the ID encoder at {@code path}.
     *
     * @param tokensPerImage ID rows per image (1 for PhotoMaker v1, 2 for v2)
     * @param embedDim width of one ID row (the prompt embedding width)
     */
    public IdEncoder(SessionFactory factory, Path path, int imageSize, int tokensPerImage, int embedDim) {
        super(factory, path, ModelInterface.of("id_encoder")
                .input(PIXELS, ElementType.FLOATS, -1, 3, imageSize, imageSize)
                .outputWithShapes(EMBEDS, ElementType.FLOATS, tokensPerImage == 1
                        ? List.of(new long[] {-1, embedDim}, new long[] {-1, 1, embedDim})
                        : List.of(new long[] {-1, tokensPerImage, embedDim})));
        this.imageSize = imageSize;
        this.embeddingWidth = tokensPerImage * embedDim;
        this.oneImagePerRun = input(PIXELS).dim(0) == 1;
        this.pixels = new TensorSlot(factory.environment(), input(PIXELS).type());
    }

    /** Floats per image in the returned embeddings. */
    public int embeddingWidth() {
        return embeddingWidth;
    }

    /**
     * Encodes {@code count} images laid out as [count, 3, S, S] in {@code pixelValues}.
     *
     * @return one embedding of {@link #embeddingWidth()} floats per image, in input order
     */
    public List<float[]> encode(float[] pixelValues, int count) {
        int perImage = 3 * imageSize * imageSize;
        if (count < 1 || pixelValues.length != count * perImage) {
            throw new IllegalArgumentException("expected " + count + " images of " + perImage + " values, got "
                    + pixelValues.length + " values");
        }
        return rowsInBatches(count, oneImagePerRun ? 1 : count, embeddingWidth,
                (first, batch) -> runBatch(pixelValues, first * perImage, batch));
    }

    private float[] runBatch(float[] pixelValues, int offset, int batch) {
        int length = batch * 3 * imageSize * imageSize;
        try {
            pixels.shaped(batch, 3, imageSize, imageSize);
        } catch (OrtException e) {
            throw new ModelException(ErrorType.MODEL_RUN_FAILED, "id_encoder: cannot create input tensor", true, e);
        }
        pixels.putFloats(0, pixelValues, offset, length);
        try (OrtSession.Result result = run(Map.of(PIXELS, pixels.tensor()), Set.of(EMBEDS))) {
            return floats(result, EMBEDS, batch * embeddingWidth, batch + " images");
        }
    }

    @Override
    protected void closeResources() {
        pixels.close();
    }
}
