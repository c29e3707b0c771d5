package io.photomaker.gateway.submit;

import io.photomaker.common.errors.ErrorType;
import io.photomaker.common.job.JobRequest;
import io.photomaker.common.model.ModelNames;
import io.photomaker.common.prompt.PromptError;
import io.photomaker.common.prompt.StyleTemplates;
import io.photomaker.common.prompt.TriggerWordCheck;
import io.photomaker.gateway.http.ApiError;
import java.util.Map;

/**
 * The prompt rules a job must pass before it is queued, from the shared prompt module: a known style, the
 * trigger word exactly once right after a class word and never in the negative prompt, and class-token copies
 * that fit the text encoders' window once the style template wraps the prompt (the check the worker repeats).
 * Problems become 400 answers with the API's error types.
 */
public final class PromptChecks {
    /** The word that marks where the person goes in the prompt. */
    public static final String TRIGGER_WORD = "img";
    /** Class-token copies per ID embedding: one for photomaker-v1, two for photomaker-v2 (the job's model). */
    static int tokensPerEmbedding(JobRequest request) {
        return ModelNames.V2.equals(request.model()) ? 2 : 1;
    }
    private static final Map<String, String> API_FIELDS = Map.of(PromptError.FIELD_ID_IMAGES,
            SubmissionReader.IMAGES_PART);

    private PromptChecks() {
    }

    /**
     * Checks {@code request} (defaults applied) for a job stacking {@code idEmbeddings} ID embeddings.
     *
     * @param idEmbeddings uploaded photos plus the embeddings stored identities contribute; at least 1
     * @throws ApiError 400 {@code unknown_style}, {@code trigger_word_missing}, {@code trigger_word_repeated},
     *                  {@code trigger_word_without_class_word}, {@code trigger_word_in_negative_prompt} or
     *                  {@code prompt_too_long}
     */
    public static void check(JobRequest request, int idEmbeddings) {
        int count = Math.max(1, idEmbeddings);
        int tokensPerEmbedding = tokensPerEmbedding(request);
        try {
            StyleTemplates.find(request.style());
            // The client's own words first, so a misplaced trigger word is reported as the client wrote it ...
            TriggerWordCheck.validate(request.prompt(), request.negativePrompt(), TRIGGER_WORD, count,
                    tokensPerEmbedding);
            // ... then the prompt pair the worker will tokenize, whose template may push the class word back.
            StyleTemplates.StyledPrompt styled = StyleTemplates.apply(request.style(), request.prompt(),
                    request.negativePrompt());
            TriggerWordCheck.validate(styled.prompt(), styled.negativePrompt(), TRIGGER_WORD, count,
                    tokensPerEmbedding);
        } catch (PromptError e) {
            throw toApiError(e);
        }
    }

    /** The 400 answer for a prompt problem, with the API's field names (types are shared with the worker). */
    static ApiError toApiError(PromptError e) {
        String field = API_FIELDS.getOrDefault(e.field(), e.field());
        return new ApiError(e.errorType(), e.message(), field);
    }
}
