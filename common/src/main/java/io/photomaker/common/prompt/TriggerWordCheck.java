package io.photomaker.common.prompt;

import io.photomaker.common.errors.ErrorType;
import io.photomaker.common.text.ClipPreTokenizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Word-level checks of a PhotoMaker prompt, runnable without a tokenizer vocabulary (the gateway uses
 * them to reject a job before it is queued). Prompts are cleaned and split exactly like the CLIP
 * tokenizer does ({@link ClipPreTokenizer#words}); the trigger word matches a whole word (or sequence
 * of words) equal to the cleaned trigger, so {@code "Img"} counts but {@code "imgs"} does not.
 */
public final class TriggerWordCheck {

    /** Token window of both SDXL text encoders, start and end markers included. */
    public static final int MAX_TOKENS = 77;
    /** Tokens of the prompt proper that survive CLIP's truncation (the window minus the two markers). */
    public static final int MAX_PROMPT_TOKENS = MAX_TOKENS - 2;

    private TriggerWordCheck() {
    }

    /**
     * Checks the prompt, the negative prompt and the number of ID images; returns where the trigger is.
     *
     * @param tokensPerImage class-token copies per ID image (1 for PhotoMaker v1, 2 for v2)
     * @throws PromptError for a missing, repeated or class-less trigger word, a trigger word in the
     *                     negative prompt, no ID image, or a prompt whose class tokens certainly
     *                     cannot fit {@value #MAX_TOKENS} tokens (every word costs at least one token)
     */
    public static TriggerLocation validate(String prompt, String negativePrompt, String triggerWord,
                                           int idImageCount, int tokensPerImage) {
        List<String> trigger = triggerWords(triggerWord);
        if (tokensPerImage < 1) {
            throw new IllegalArgumentException("tokensPerImage must be at least 1, got " + tokensPerImage);
        }
        TriggerLocation location = locate(prompt, triggerWord, trigger);
        if (!occurrences(ClipPreTokenizer.words(negativePrompt), trigger).isEmpty()) {
            throw new PromptError(ErrorType.TRIGGER_WORD_IN_NEGATIVE_PROMPT, PromptError.FIELD_NEGATIVE_PROMPT,
                    "The negative prompt must not contain the trigger word '" + triggerWord + "'.");
        }
        if (idImageCount < 1) {
            throw new PromptError(ErrorType.NO_ID_IMAGES, PromptError.FIELD_ID_IMAGES,
                    "At least one ID image of the person is needed.");
        }
        checkLength(location, idImageCount, tokensPerImage);
        return location;
    }

    /** The cleaned words of a configured trigger word; rejects one that cleans to nothing. */
    public static List<String> triggerWords(String triggerWord) {
        List<String> words = ClipPreTokenizer.words(triggerWord);
        if (words.isEmpty() || words.stream().anyMatch(ClipPreTokenizer::isSpecial)) {
            throw new IllegalArgumentException("unusable trigger word '" + triggerWord + "'");
        }
        return words;
    }

    /** Start indices of every occurrence of {@code trigger} (a word sequence) in {@code words}. */
    public static List<Integer> occurrences(List<String> words, List<String> trigger) {
        List<Integer> found = new ArrayList<>(1);
        for (int i = 0; i + trigger.size() <= words.size(); i++) {
            if (words.subList(i, i + trigger.size()).equals(trigger)) {
                found.add(i);
                i += trigger.size() - 1;
            }
        }
        return found;
    }

    private static TriggerLocation locate(String prompt, String triggerWord, List<String> trigger) {
        List<String> words = ClipPreTokenizer.words(prompt);
        List<Integer> found = occurrences(words, trigger);
        if (found.isEmpty()) {
            throw new PromptError(ErrorType.TRIGGER_WORD_MISSING, PromptError.FIELD_PROMPT,
                    "The prompt must contain the trigger word '" + triggerWord
                            + "' right after the class word, e.g. 'a photo of a woman " + triggerWord + "'.");
        }
        if (found.size() > 1) {
            throw new PromptError(ErrorType.TRIGGER_WORD_REPEATED, PromptError.FIELD_PROMPT,
                    "The trigger word '" + triggerWord + "' may appear only once in the prompt, found "
                            + found.size() + " times.");
        }
        int index = found.get(0);
        if (index == 0 || !isClassWord(words.get(index - 1))) {
            throw new PromptError(ErrorType.TRIGGER_WORD_WITHOUT_CLASS_WORD, PromptError.FIELD_PROMPT,
                    "The trigger word '" + triggerWord + "' must follow a class word such as 'man', 'woman' "
                            + "or 'girl' (e.g. 'a woman " + triggerWord + "'), not "
                            + (index == 0 ? "start the prompt." : "follow '" + words.get(index - 1) + "'."));
        }
        return new TriggerLocation(words, index, trigger.size());
    }

    /** A class word starts with a letter or a digit: punctuation, contractions and markers do not qualify. */
    private static boolean isClassWord(String word) {
        if (ClipPreTokenizer.isSpecial(word)) {
            return false;
        }
        int type = Character.getType(word.codePointAt(0));
        return Character.isLetter(word.codePointAt(0)) || type == Character.DECIMAL_DIGIT_NUMBER
                || type == Character.LETTER_NUMBER || type == Character.OTHER_NUMBER;
    }

    private static void checkLength(TriggerLocation location, int idImageCount, int tokensPerImage) {
        int wordsBefore = location.triggerIndex();
        long classTokens = (long) idImageCount * tokensPerImage;
        // The class token sits at index >= wordsBefore (the start marker is index 0) and its copies
        // must end inside the window; the trigger itself must survive CLIP's 75-token truncation.
        boolean copiesCut = wordsBefore + classTokens > MAX_TOKENS;
        boolean triggerCut = wordsBefore + location.triggerLength() > MAX_PROMPT_TOKENS;
        if (copiesCut || triggerCut) {
            throw tooLong(wordsBefore, classTokens);
        }
        // Fits as far as words can tell; the worker's token-level check has the final say.
    }

    /**
     * The error for a class word that sits too far into the prompt.
     *
     * @param classTokenIndex position of the class token in the framed sequence (start marker = 0)
     * @param classTokens     stacked copies of the class token (ID images x tokens per image)
     */
    public static PromptError tooLong(int classTokenIndex, long classTokens) {
        return new PromptError(ErrorType.PROMPT_TOO_LONG, PromptError.FIELD_PROMPT,
                "The trigger word comes too late in the prompt: the class word is token " + classTokenIndex
                        + " and its " + classTokens + " stacked copies would not fit the text encoders' "
                        + MAX_TOKENS + "-token window. Move the class word and trigger word closer to the start "
                        + "or use fewer ID images.");
    }
}
