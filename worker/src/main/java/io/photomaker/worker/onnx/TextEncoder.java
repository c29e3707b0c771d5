package io.photomaker.worker.onnx;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.photomaker.common.errors.ErrorType;
import io.photomaker.common.model.ModelManifest;
import io.photomaker.common.model.ModelRole;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * A CLIP text encoder (either of SDXL's two): token ids [1, max_tokens] in, the configured hidden-state
 * output (the penultimate layer) [max_tokens, width] and the pooled output out. Which outputs to read
 * comes from the manifest.
 */
public final class TextEncoder extends OnnxModel {

    /** One prompt's encoding: hidden states [max_tokens * width] row-major, pooled [pooled width]. */
    public record Encoding(float[] hiddenStates, float[] pooled) {
    }

    private static final String INPUT_IDS = "input_ids";

    private final String hiddenOutput;
    private final String pooledOutput;
    private final int maxTokens;
    private final int hiddenWidth;
    private final int pooledWidth;
    private final TensorSlot ids;

    /** Opens an encoder whose outputs are named explicitly. */
    public TextEncoder(SessionFactory factory, Path path, String name, int maxTokens, String hiddenOutput,
            int hiddenWidth, String pooledOutput, int pooledWidth) {
        super(factory, path, ModelInterface.of(name)
                .input(INPUT_IDS, ElementType.TOKEN_IDS, 1, maxTokens)
                .output(hiddenOutput, ElementType.FLOATS, -1, maxTokens, hiddenWidth)
                .output(pooledOutput, ElementType.FLOATS, -1, pooledWidth));
        this.hiddenOutput = hiddenOutput;
        this.pooledOutput = pooledOutput;
        this.maxTokens = maxTokens;
        this.hiddenWidth = hiddenWidth;
        this.pooledWidth = pooledWidth;
        this.ids = new TensorSlot(factory.environment(), input(INPUT_IDS).type());
    }

    /**
     * Opens text_encoder or text_encoder_2 as the manifest describes it. The pooled output defaults to
     * pooler_output (encoder 1, width text_hidden_1) and text_embeds (encoder 2, width pooled_dim).
     */
    public static TextEncoder load(SessionFactory factory, Path modelsDir, ModelManifest manifest, ModelRole role) {
        ModelManifest.ModelFile file = manifest.model(role);
        ModelManifest.Dims dims = manifest.dims();
        boolean first = role == ModelRole.TEXT_ENCODER;
        if (!role.isTextEncoder()) {
            throw new IllegalArgumentException(role + " is not a text encoder");
        }
        String pooled = file.pooledOutput() != null ? file.pooledOutput() : first ? "pooler_output" : "text_embeds";
        return new TextEncoder(factory, manifest.modelPath(modelsDir, role), role.key(), dims.maxTokens(),
                file.hiddenStateOutput(), first ? dims.textHidden1() : dims.textHidden2(), pooled,
                first ? dims.textHidden1() : dims.pooledDim());
    }

    public int hiddenWidth() {
        return hiddenWidth;
    }

    public int pooledWidth() {
        return pooledWidth;
    }

    /** Encodes one prompt's token ids (exactly max_tokens of them, padded). */
    public Encoding encode(long[] tokenIds) {
        if (tokenIds.length != maxTokens) {
            throw new IllegalArgumentException("expected " + maxTokens + " token ids, got " + tokenIds.length);
        }
        try {
            ids.shaped(1, maxTokens);
        } catch (OrtException e) {
            throw new ModelException(ErrorType.MODEL_RUN_FAILED, name() + ": cannot create input tensor", true, e);
        }
        ids.putLongs(0, tokenIds);
        try (OrtSession.Result result = run(Map.of(INPUT_IDS, ids.tensor()), Set.of(hiddenOutput, pooledOutput))) {
            return new Encoding(floats(result, hiddenOutput), floats(result, pooledOutput));
        }
    }

    @Override
    protected void closeResources() {
        ids.close();
    }
}
