package io.photomaker.worker.pipeline.prompt;

import io.photomaker.common.prompt.TriggerLocation;
import io.photomaker.common.prompt.TriggerWordCheck;
import io.photomaker.common.text.ClipPreTokenizer;
import io.photomaker.common.text.ClipTokenizer;
import java.util.Arrays;
import java.util.List;

/**
 * Turns a PhotoMaker prompt into the token ids of both SDXL text encoders, following the reference
 * {@code encode_prompt_with_trigger_word}: the prompt is framed and truncated like CLIP does (start
 * marker, at most 75 tokens, end marker) and padded; the trigger word's tokens are removed; the token
 * right before them (the class token) is repeated once per ID image and token per image; the result is
 * cut or padded to the window again and the class-token copies are marked. Where the reference would
 * silently cut class tokens (or the trigger word), this class throws {@code prompt_too_long} instead.
 *
 * <p>The trigger word is found at word level (a whole cleaned word, or word sequence, equal to the
 * trigger), so it works whatever tokens the vocabulary splits it into.
 */
public final class PromptTokenizer {

    /** Window length of both SDXL text encoders. */
    public static final int WINDOW = TriggerWordCheck.MAX_TOKENS;
    /** Padding id of SDXL's second tokenizer ({@code "!"}); the first pads with its end id. */
    public static final int DEFAULT_PAD_ID_2 = 0;

    private final ClipTokenizer tokenizer;
    private final String triggerWord;
    private final int tokensPerImage;
    private final int padId1;
    private final int padId2;

    /** A tokenizer with SDXL's padding: end id for encoder 1, {@value #DEFAULT_PAD_ID_2} for encoder 2. */
    public PromptTokenizer(ClipTokenizer tokenizer, String triggerWord, int tokensPerImage) {
        this(tokenizer, triggerWord, tokensPerImage, tokenizer.eosId(), DEFAULT_PAD_ID_2);
    }

    /**
     * @param tokensPerImage class-token copies per ID image: 1 for PhotoMaker v1, 2 for v2
     * @param padId1         padding id of text encoder 1
     * @param padId2         padding id of text encoder 2
     */
    public PromptTokenizer(ClipTokenizer tokenizer, String triggerWord, int tokensPerImage, int padId1, int padId2) {
        if (tokensPerImage < 1) {
            throw new IllegalArgumentException("tokensPerImage must be at least 1, got " + tokensPerImage);
        }
        TriggerWordCheck.triggerWords(triggerWord);
        for (int pad : new int[] {padId1, padId2}) {
            if (pad < 0 || pad >= tokenizer.vocabularySize()) {
                throw new IllegalArgumentException("pad id " + pad + " is outside the vocabulary");
            }
        }
        this.tokenizer = tokenizer;
        this.triggerWord = triggerWord;
        this.tokensPerImage = tokensPerImage;
        this.padId1 = padId1;
        this.padId2 = padId2;
    }

    /**
     * Builds all token ids for a prompt, its negative prompt and the number of ID images. A {@code null}
     * negative prompt means none was given at all; it is tokenized as the empty prompt and flagged absent.
     *
     * @throws io.photomaker.common.prompt.PromptError for the prompt problems {@link TriggerWordCheck}
     *         reports, and {@code prompt_too_long} when the class-token copies or the trigger word fall
     *         outside the window
     */
    public PromptTokens tokenize(String prompt, String negativePrompt, int idImageCount) {
        TriggerLocation trigger = TriggerWordCheck.validate(prompt, negativePrompt, triggerWord, idImageCount,
                tokensPerImage);
        IdPrompt id = idPrompt(trigger, idImageCount * tokensPerImage);
        List<int[]> textOnlyWords = tokenizer.encodeWords(trigger.wordsWithoutTrigger());
        int[] textOnly = framed(textOnlyWords);
        List<String> negativeWords = ClipPreTokenizer.words(negativePrompt == null ? "" : negativePrompt);
        int[] negative = framed(tokenizer.encodeWords(negativeWords));
        return new PromptTokens(padded(id.ids, padId1), padded(id.ids, padId2), id.mask(), id.classIndex,
                id.classCount, padded(textOnly, padId1), padded(textOnly, padId2), padded(negative, padId1),
                padded(negative, padId2), negativePrompt == null, id.truncated,
                concatLength(textOnlyWords) > WINDOW - 2);
    }

    /** The ID prompt before padding; {@code ids} may be shorter than the window. */
    private record IdPrompt(int[] ids, int classIndex, int classCount, boolean truncated) {
        boolean[] mask() {
            boolean[] mask = new boolean[WINDOW];
            Arrays.fill(mask, classIndex, classIndex + classCount, true);
            return mask;
        }
    }

    private IdPrompt idPrompt(TriggerLocation trigger, int classCount) {
        List<int[]> perWord = tokenizer.encodeWords(trigger.words());
        int triggerStart = 1 + concatLength(perWord.subList(0, trigger.triggerIndex()));
        int triggerLength = concatLength(perWord.subList(trigger.triggerIndex(),
                trigger.triggerIndex() + trigger.triggerLength()));
        int[] framed = framed(perWord);
        boolean truncated = concatLength(perWord) > WINDOW - 2;
        // CLIP's truncation keeps positions 0..75 of the prompt proper; the trigger must be among them.
        if (triggerStart + triggerLength > WINDOW - 1) {
            throw TriggerWordCheck.tooLong(triggerStart - 1, classCount);
        }
        int classIndex = triggerStart - 1;
        int classToken = framed[classIndex];
        int expandedLength = framed.length - triggerLength + classCount - 1;
        if (classIndex + classCount > WINDOW) {
            throw TriggerWordCheck.tooLong(classIndex, classCount);
        }
        int[] expanded = new int[expandedLength];
        System.arraycopy(framed, 0, expanded, 0, classIndex);
        Arrays.fill(expanded, classIndex, classIndex + classCount, classToken);
        int tailStart = triggerStart + triggerLength;
        System.arraycopy(framed, tailStart, expanded, classIndex + classCount, framed.length - tailStart);
        // Like the reference, a sequence grown past the window loses its last tokens, end marker included.
        if (expanded.length > WINDOW) {
            return new IdPrompt(Arrays.copyOf(expanded, WINDOW), classIndex, classCount, true);
        }
        return new IdPrompt(expanded, classIndex, classCount, truncated);
    }

    /** Start marker, at most 75 tokens, end marker: CLIP's framing and truncation. */
    private int[] framed(List<int[]> perWord) {
        int length = Math.min(concatLength(perWord), WINDOW - 2);
        int[] out = new int[length + 2];
        out[0] = tokenizer.bosId();
        int position = 1;
        for (int[] ids : perWord) {
            int take = Math.min(ids.length, length + 1 - position);
            System.arraycopy(ids, 0, out, position, take);
            position += take;
            if (position == length + 1) {
                break;
            }
        }
        out[length + 1] = tokenizer.eosId();
        return out;
    }

    private static int[] padded(int[] ids, int padId) {
        int[] out = Arrays.copyOf(ids, WINDOW);
        Arrays.fill(out, ids.length, WINDOW, padId);
        return out;
    }

    private static int concatLength(List<int[]> perWord) {
        int length = 0;
        for (int[] ids : perWord) {
            length += ids.length;
        }
        return length;
    }
}
