package io.photomaker.gateway.submit;

import io.photomaker.common.job.RequestViolation;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The trigger-word rule PhotoMaker depends on: the prompt holds the trigger word exactly once, directly
 * after a class word ("a photo of a man img"), and the negative prompt does not hold it. Words and
 * punctuation are separate tokens, as in CLIP's tokenizer, so "man, img" does not count.
 * This is the gateway's interim copy; {@link #check} is the one method to swap for the shared prompt module.
 */
public final class PromptRules {
    public static final String TRIGGER_WORD = "img";
    /** Words naming the kind of subject the ID embedding is stacked onto. */
    public static final Set<String> CLASS_WORDS = Set.of(
            "man", "woman", "boy", "girl", "person", "child", "kid", "baby", "lady", "gentleman", "guy",
            "male", "female", "teenager", "adult", "men", "women", "people", "boys", "girls", "persons");
    private static final Pattern TOKEN = Pattern.compile("[\\p{L}\\p{N}']+|[^\\s\\p{L}\\p{N}']");

    private PromptRules() {
    }

    /** The first rule {@code prompt}/{@code negativePrompt} break, or empty when they are fine. */
    public static Optional<RequestViolation> check(String prompt, String negativePrompt) {
        if (prompt == null || prompt.isBlank()) {
            return Optional.empty();
        }
        List<String> tokens = tokens(prompt);
        List<Integer> hits = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).equals(TRIGGER_WORD)) {
                hits.add(i);
            }
        }
        if (hits.isEmpty()) {
            return violation("missing_trigger_word", "prompt must contain the trigger word '" + TRIGGER_WORD
                    + "' right after a class word, e.g. 'a photo of a man " + TRIGGER_WORD + "'", "prompt");
        }
        if (hits.size() > 1) {
            return violation("multiple_trigger_words", "prompt contains the trigger word '" + TRIGGER_WORD + "' "
                    + hits.size() + " times; use it exactly once", "prompt");
        }
        int at = hits.get(0);
        if (at == 0 || !CLASS_WORDS.contains(tokens.get(at - 1))) {
            return violation("trigger_word_without_class_word", "the trigger word '" + TRIGGER_WORD
                    + "' must directly follow a class word such as man, woman, boy, girl or person", "prompt");
        }
        if (negativePrompt != null && tokens(negativePrompt).contains(TRIGGER_WORD)) {
            return violation("trigger_word_in_negative_prompt", "negative_prompt must not contain the trigger word '"
                    + TRIGGER_WORD + "'", "negative_prompt");
        }
        return Optional.empty();
    }

    static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private static Optional<RequestViolation> violation(String type, String message, String field) {
        return Optional.of(new RequestViolation(type, message, field));
    }
}
