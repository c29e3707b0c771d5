package io.photomaker.worker.pipeline;

import io.photomaker.common.model.ModelManifest;
import io.photomaker.worker.onnx.FuseModel;
import io.photomaker.worker.onnx.TextEncoder;
import io.photomaker.worker.pipeline.prompt.PromptTokens;
import java.util.List;

/**
 * Turns a prompt's token ids into SDXL prompt embeddings and splices in the stacked ID embedding: both text
 * encoders' penultimate hidden states side by side (prompt_dim wide), pooled from encoder 2; the class-token
 * rows are fused with one ID row each and written back at the class-token positions.
 */
public final class PromptEncoder {

    /** One prompt's embedding [max_tokens * prompt_dim] and pooled embedding [pooled_dim]. */
    public record Embedding(float[] hidden, float[] pooled) {
    }

    private final TextEncoder textEncoder1;
    private final TextEncoder textEncoder2;
    private final FuseModel fuse;
    private final int maxTokens;
    private final int promptDim;
    private final boolean forceZerosForEmptyPrompt;

    public PromptEncoder(TextEncoder textEncoder1, TextEncoder textEncoder2, FuseModel fuse, ModelManifest manifest) {
        this.textEncoder1 = textEncoder1;
        this.textEncoder2 = textEncoder2;
        this.fuse = fuse;
        this.maxTokens = manifest.dims().maxTokens();
        this.promptDim = manifest.dims().promptDim();
        this.forceZerosForEmptyPrompt = manifest.forceZerosForEmptyPrompt();
    }

    public int promptDim() {
        return promptDim;
    }

    /** Encodes one prompt given its ids for encoder 1 and encoder 2 (they differ only in padding). */
    public Embedding encode(int[] ids1, int[] ids2) {
        TextEncoder.Encoding first = textEncoder1.encode(PromptTokens.toInt64(ids1));
        TextEncoder.Encoding second = textEncoder2.encode(PromptTokens.toInt64(ids2));
        float[] hidden = PromptEmbeddingLayout.concatenate(first.hiddenStates(), textEncoder1.hiddenWidth(),
                second.hiddenStates(), textEncoder2.hiddenWidth(), maxTokens);
        return new Embedding(hidden, second.pooled());
    }

    /**
     * Replaces the class-token rows of an ID-prompt embedding by their fusion with the stacked ID
     * embeddings (one row per class token, in order).
     */
    public float[] fuseIdentity(float[] idPromptEmbedding, PromptTokens tokens, List<float[]> idEmbeddings) {
        int first = tokens.classTokenIndex();
        int count = tokens.classTokenCount();
        float[] idRows = PromptEmbeddingLayout.stack(idEmbeddings, promptDim);
        if (idRows.length != count * promptDim) {
            throw new IllegalArgumentException(count + " class tokens need " + count + " ID rows, the embeddings give "
                    + idRows.length / promptDim);
        }
        float[] classRows = PromptEmbeddingLayout.rows(idPromptEmbedding, promptDim, first, count);
        float[] fused = fuse.fuse(classRows, idRows, count);
        return PromptEmbeddingLayout.splice(idPromptEmbedding, promptDim, first, count, fused);
    }

    /** All embeddings a generation needs. */
    public PromptConditioning encodeAll(PromptTokens tokens, List<float[]> idEmbeddings) {
        return encodeAll(tokens, idEmbeddings, GenerationRecorder.NONE);
    }

    /** All embeddings a generation needs, telling {@code recorder} which prompt each model call encodes. */
    public PromptConditioning encodeAll(PromptTokens tokens, List<float[]> idEmbeddings, GenerationRecorder recorder) {
        recorder.phase("prompt:id", -1);
        Embedding id = encode(tokens.idPromptIds1(), tokens.idPromptIds2());
        float[] stacked = fuseIdentity(id.hidden(), tokens, idEmbeddings);
        recorder.phase("prompt:text_only", -1);
        Embedding textOnly = encode(tokens.textOnlyIds1(), tokens.textOnlyIds2());
        recorder.phase("prompt:negative", -1);
        Embedding negative = tokens.negativeAbsent() && forceZerosForEmptyPrompt
                ? new Embedding(new float[id.hidden().length], new float[id.pooled().length])
                : encode(tokens.negativeIds1(), tokens.negativeIds2());
        return new PromptConditioning(stacked, id.pooled(), textOnly.hidden(), textOnly.pooled(),
                negative.hidden(), negative.pooled());
    }
}
