package io.photomaker.common.text;

import java.util.Locale;

/**
 * CLIP's prompt cleanup: ftfy's character repairs (see {@link FtfyCompatibleFixes} for the exact
 * subset), HTML references decoded twice, whitespace runs collapsed to one space and trimmed, then
 * lower case. Whitespace means what Python's {@code str.isspace} means, which is what CLIP uses.
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
