package io.photomaker.worker.pipeline;

/**
 * The prompt embeddings of one generation, each [max_tokens * prompt_dim] with its pooled [pooled_dim]:
 * the ID prompt with the stacked ID embedding spliced in, the text-only prompt, and the negative prompt
 * (zeros only when none was given at all and the model forces zeros for empty prompts).
 */
public record PromptConditioning(
        float[] idPrompt, float[] idPooled,
        float[] textOnlyPrompt, float[] textOnlyPooled,
        float[] negativePrompt, float[] negativePooled) {
}
