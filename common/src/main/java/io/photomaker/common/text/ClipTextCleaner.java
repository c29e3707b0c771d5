package io.photomaker.common.text;

import java.util.Locale;

/**
 * CLIP's prompt cleanup, in CLIP's order: {@code ftfy.fix_text}, HTML references decoded twice
 * (Python {@code html.unescape} rules, all HTML5 names), whitespace runs collapsed to one space and
 * trimmed, lower case. Whitespace means what Python's {@code str.isspace} means, as in CLIP.
 *
 * <p>Of ftfy every default step is reproduced (strict entity decoding, C1 controls, Latin ligatures,
 * character width, curly quotes, line breaks, surrogates, terminal escapes, control characters, NFC,
 * repeated until stable) except {@code fix_encoding}, the statistical mojibake repair: it needs ftfy's
 * heuristics and tables and only changes text already decoded with the wrong code page, which prompts
 * arriving as JSON are not. Hugging Face's CLIP tokenizers without ftfy give the same result for plain
 * prompts; they differ wherever ftfy or the HTML decoding would change the text (entities, curly
 * quotes, ligatures, full-width forms, control characters) and, for the slow one, on CJK characters,
 * which it splits one per word.
 */
public final class ClipTextCleaner {

    private ClipTextCleaner() {
    }

    /** Returns the cleaned text CLIP tokenises; {@code null} is treated as empty. */
    public static String clean(String text) {
        if (text == null || text.isEmpty()) {
            return "";
        }
        String fixed = FtfyCompatibleFixes.fixText(text);
        fixed = HtmlUnescaper.unescape(HtmlUnescaper.unescape(fixed));
        return collapseWhitespace(fixed).toLowerCase(Locale.ROOT);
    }

    /** Whether a code point is whitespace in CLIP's (Python's) sense: a space separator or a bidi break. */
    public static boolean isWhitespace(int codePoint) {
        if (Character.getType(codePoint) == Character.SPACE_SEPARATOR) {
            return true;
        }
        byte direction = Character.getDirectionality(codePoint);
        return direction == Character.DIRECTIONALITY_WHITESPACE
                || direction == Character.DIRECTIONALITY_PARAGRAPH_SEPARATOR
                || direction == Character.DIRECTIONALITY_SEGMENT_SEPARATOR;
    }

    private static String collapseWhitespace(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean pendingSpace = false;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (isWhitespace(cp)) {
                pendingSpace = out.length() > 0;
            } else {
                if (pendingSpace) {
                    out.append(' ');
                    pendingSpace = false;
                }
                out.appendCodePoint(cp);
            }
        }
        return out.toString();
    }
}
