package io.photomaker.worker.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.photomaker.common.errors.ErrorType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The PhotoMaker V2 ID encoder: CLIP-preprocessed ID images {@code id_pixel_values [N, 3, S, S]} and one
 * raw ArcFace embedding per image {@code face_embeds [N, F]} in; {@code id_embeds [N, tokens, D]} out. Inside:
 * the CLIP vision tower's last_hidden_state (patch tokens before the post-layernorm) and the face embedding
 * meet in the QFormer perceiver (token_proj to {@code tokens} rows of D, LayerNorm, a perceiver resampler over
 * the patch tokens, residual). Image i's {@code tokens * D} floats come back as one embedding; the fuse model
 * then takes them row by row. Fixed-batch exports are run once per image.
 */
public final class IdEncoderV2 extends OnnxModel {

    private static final String PIXELS = "id_pixel_values";
    private static final String FACES = "face_embeds";
    private static final String EMBEDS = "id_embeds";

    private final int imageSize;
    private final int faceWidth;
    private final int embeddingWidth;
    private final boolean oneImagePerRun;
    private final TensorSlot pixels;
    private final TensorSlot faces;

    /**
     * Opens the V2 ID encoder at {@code path}.
     *
     * @param faceWidth width of one ArcFace embedding (the recognizer's, 512)
     * @param tokensPerImage ID rows per image (2)
     * @param embedDim width of one ID row (the prompt embedding width)
     */
    public IdEncoderV2(SessionFactory factory, Path path, int imageSize, int faceWidth, int tokensPerImage, int embedDim) {
        super(factory, path, ModelInterface.of("id_encoder")
                .input(PIXELS, ElementType.FLOATS, -1, 3, imageSize, imageSize)
                .input(FACES, ElementType.FLOATS, -1, faceWidth)
                .output(EMBEDS, ElementType.FLOATS, -1, tokensPerImage, embedDim));
        this.imageSize = imageSize;
        this.faceWidth = faceWidth;
        this.embeddingWidth = tokensPerImage * embedDim;
        this.oneImagePerRun = input(PIXELS).dim(0) == 1 || input(FACES).dim(0) == 1;
        this.pixels = new TensorSlot(factory.environment(), input(PIXELS).type());
        this.faces = new TensorSlot(factory.environment(), input(FACES).type());
    }

    /** Floats per image in the returned embeddings ({@code tokens * D}). */
    public int embeddingWidth() {
        return embeddingWidth;
    }

    /** Width of one face embedding this encoder takes. */
    public int faceWidth() {
        return faceWidth;
    }

    /**
     * Encodes {@code count} images laid out as [count, 3, S, S] in {@code pixelValues}, with their face
     * embeddings laid out as [count, F] in {@code faceEmbeds}.
     *
     * @return one embedding of {@link #embeddingWidth()} floats per image, in input order
     */
    public List<float[]> encode(float[] pixelValues, float[] faceEmbeds, int count) {
        int perImage = 3 * imageSize * imageSize;
        if (count < 1 || pixelValues.length != count * perImage || faceEmbeds.length != count * faceWidth) {
            throw new IllegalArgumentException("expected " + count + " images of " + perImage + " values and "
                    + count + " face embeddings of " + faceWidth + ", got " + pixelValues.length + " and "
                    + faceEmbeds.length + " values");
        }
        return rowsInBatches(count, oneImagePerRun ? 1 : count, embeddingWidth,
                (first, batch) -> runBatch(pixelValues, faceEmbeds, first, batch));
    }

    private float[] runBatch(float[] pixelValues, float[] faceEmbeds, int first, int batch) {
        int perImage = 3 * imageSize * imageSize;
        try {
            pixels.shaped(batch, 3, imageSize, imageSize);
            faces.shaped(batch, faceWidth);
        } catch (OrtException e) {
            throw new ModelException(ErrorType.MODEL_RUN_FAILED, "id_encoder: cannot create input tensors", true, e);
        }
        pixels.putFloats(0, pixelValues, first * perImage, batch * perImage);
        faces.putFloats(0, faceEmbeds, first * faceWidth, batch * faceWidth);
        try (OrtSession.Result result = run(Map.of(PIXELS, pixels.tensor(), FACES, faces.tensor()), Set.of(EMBEDS))) {
            return floats(result, EMBEDS, batch * embeddingWidth, batch + " images");
        }
    }

    @Override
    protected void closeResources() {
        pixels.close();
        faces.close();
    }
}
