package io.photomaker.common.text;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Splits cleaned text into CLIP's pre-tokens ("words"): the two special tokens, English contractions,
 * runs of letters, single digits, and runs of other non-space characters, matched case-insensitively
 * with CLIP's pattern. BPE then works inside each word, so a word's ids never depend on its neighbours.
 */
public final class ClipPreTokenizer {

    /** The start-of-text marker, a word of its own wherever it appears in a prompt. */
    public static final String START_OF_TEXT = "<|startoftext|>";
    /** The end-of-text marker, a word of its own wherever it appears in a prompt. */
    public static final String END_OF_TEXT = "<|endoftext|>";

    private static final Pattern WORD = Pattern.compile(
            "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|\\p{L}+|\\p{N}|[^\\p{L}\\p{N}"
                    + whitespaceClass() + "]+",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);

    private ClipPreTokenizer() {
    }

    /** Cleans {@code text} like CLIP and returns its words in order (empty for blank text). */
    public static List<String> words(String text) {
        return split(ClipTextCleaner.clean(text));
    }

    /** Splits already-cleaned text into words. */
    static List<String> split(String cleaned) {
        if (cleaned.isEmpty()) {
            return List.of();
        }
        List<String> words = new ArrayList<>();
        Matcher matcher = WORD.matcher(cleaned);
        while (matcher.find()) {
            words.add(matcher.group());
        }
        return Collections.unmodifiableList(words);
    }

    /** Whether a word is one of the two special markers. */
    public static boolean isSpecial(String word) {
        return START_OF_TEXT.equals(word) || END_OF_TEXT.equals(word);
    }

    private static String whitespaceClass() {
        StringBuilder spaces = new StringBuilder();
        for (int cp = 0; cp <= Character.MAX_VALUE; cp++) {
            if (ClipTextCleaner.isWhitespace(cp)) {
                spaces.append(String.format("\\x{%X}", cp));
            }
        }
        return spaces.toString();
    }
}
