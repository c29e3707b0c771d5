package io.photomaker.common.text;

import java.text.Normalizer;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The character-level repairs that {@code ftfy.fix_text} applies with its default configuration,
 * which CLIP runs on every prompt before tokenising.
 *
 * <p>Reproduced, in ftfy's order and repeated until the text stops changing: strict HTML entity
 * decoding (skipped from the first line that contains a literal {@code <} on, as ftfy's "auto" mode
 * does), C1 controls read as Windows-1252, Latin ligatures split, full-width and half-width forms
 * narrowed (U+3000 becomes a space), curly quotes straightened, line breaks unified, unpaired
 * surrogates replaced by U+FFFD, ANSI terminal escapes removed, invisible control characters removed,
 * NFC normalisation. Text is processed line by line like ftfy does.
 *
 * <p>Not reproduced: {@code fix_encoding} (mojibake detection and re-decoding, with its
 * {@code restore_byte_a0}, {@code replace_lossy_sequences} and {@code decode_inconsistent_utf8}
 * options). It is a statistical heuristic driven by large character-class tables, it only changes
 * text that was already decoded with the wrong code page (such as {@code "cafÃ©"}), and prompts
 * typed by users or sent as JSON are proper Unicode. Lines longer than ftfy's 1,000,000-character
 * segment limit are treated as one segment.
 */
final class FtfyCompatibleFixes {

    private static final Map<Character, String> LATIN_LIGATURES = Map.ofEntries(
            Map.entry('\u0132', "IJ"), Map.entry('\u0133', "ij"), Map.entry('\u0149', "\u02bcn"),
            Map.entry('\u01f1', "DZ"), Map.entry('\u01f2', "Dz"), Map.entry('\u01f3', "dz"),
            Map.entry('\u01c4', "D\u017d"), Map.entry('\u01c5', "D\u017e"), Map.entry('\u01c6', "d\u017e"),
            Map.entry('\u01c7', "LJ"), Map.entry('\u01c8', "Lj"), Map.entry('\u01c9', "lj"),
            Map.entry('\u01ca', "NJ"), Map.entry('\u01cb', "Nj"), Map.entry('\u01cc', "nj"),
            Map.entry('\ufb00', "ff"), Map.entry('\ufb01', "fi"), Map.entry('\ufb02', "fl"),
            Map.entry('\ufb03', "ffi"), Map.entry('\ufb04', "ffl"), Map.entry('\ufb05', "\u017ft"),
            Map.entry('\ufb06', "st"));
    private static final Pattern TERMINAL_ESCAPE = Pattern.compile("\u001b\\[(?:\\p{Nd}|;)*[a-zA-Z]");
    private static final int WIDTH_FORMS_FIRST = 0xFF01;
    private static final int WIDTH_FORMS_LAST = 0xFFEF;
    private static final String[] WIDTH_FORMS = buildWidthForms();

    private FtfyCompatibleFixes() {
    }

    /** Applies the reproduced fixes to a whole text, line by line. */
    static String fixText(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean decodeEntities = true;
        int position = 0;
        while (position < text.length()) {
            int lineEnd = text.indexOf('\n', position) + 1;
            if (lineEnd == 0) {
                lineEnd = text.length();
            }
            String line = text.substring(position, lineEnd);
            // A literal '<' suggests real markup; ftfy then keeps entities for the rest of the text.
            if (line.indexOf('<') >= 0) {
                decodeEntities = false;
            }
            out.append(fixLine(line, decodeEntities));
            position = lineEnd;
        }
        return out.toString();
    }

    private static String fixLine(String line, boolean decodeEntities) {
        String text = line;
        while (true) {
            String before = text;
            if (decodeEntities) {
                text = HtmlUnescaper.unescapeStrict(text);
            }
            text = mapCharacters(text);
            text = unifyLineBreaks(text);
            text = replaceUnpairedSurrogates(text);
            text = TERMINAL_ESCAPE.matcher(text).replaceAll("");
            text = removeControlCharacters(text);
            text = Normalizer.normalize(text, Normalizer.Form.NFC);
            if (text.equals(before)) {
                return text;
            }
        }
    }

    /** C1 controls, ligatures, character width and curly quotes: four translations, in ftfy's order. */
    private static String mapCharacters(String text) {
        String fixed = translate(text, FtfyCompatibleFixes::c1Control);
        fixed = translate(fixed, LATIN_LIGATURES::get);
        fixed = translate(fixed, FtfyCompatibleFixes::narrowed);
        return translate(fixed, FtfyCompatibleFixes::straightQuote);
    }

    private static String translate(String text, Function<Character, String> replacements) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = replacements.apply(c);
            if (replacement != null && out == null) {
                out = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (out != null) {
                if (replacement != null) {
                    out.append(replacement);
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? text : out.toString();
    }

    private static String c1Control(char c) {
        if (c < 0x80 || c > 0x9F) {
            return null;
        }
        char windows = HtmlUnescaper.WINDOWS_1252_HIGH.charAt(c - 0x80);
        return windows == c ? null : String.valueOf(windows);
    }

    private static String narrowed(char c) {
        if (c == '\u3000') {
            return " ";
        }
        if (c >= WIDTH_FORMS_FIRST && c <= WIDTH_FORMS_LAST) {
            return WIDTH_FORMS[c - WIDTH_FORMS_FIRST];
        }
        return null;
    }

    private static String straightQuote(char c) {
        if (c == '\u02bc' || (c >= '\u2018' && c <= '\u201b')) {
            return "'";
        }
        if (c >= '\u201c' && c <= '\u201f') {
            return "\"";
        }
        return null;
    }

    private static String[] buildWidthForms() {
        String[] forms = new String[WIDTH_FORMS_LAST - WIDTH_FORMS_FIRST + 1];
        for (int cp = WIDTH_FORMS_FIRST; cp <= WIDTH_FORMS_LAST; cp++) {
            String original = String.valueOf((char) cp);
            String normal = Normalizer.normalize(original, Normalizer.Form.NFKC);
            forms[cp - WIDTH_FORMS_FIRST] = normal.equals(original) ? null : normal;
        }
        return forms;
    }

    private static String unifyLineBreaks(String text) {
        return text.replace("\r\n", "\n").replace('\r', '\n').replace('\u2028', '\n')
                .replace('\u2029', '\n').replace('\u0085', '\n');
    }

    private static String replaceUnpairedSurrogates(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean paired = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (paired) {
                if (out != null) {
                    out.append(c).append(text.charAt(i + 1));
                }
                i++;
                continue;
            }
            boolean lone = Character.isSurrogate(c);
            if (lone && out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (out != null) {
                out.append(lone ? '\ufffd' : c);
            }
        }
        return out == null ? text : out.toString();
    }

    private static String removeControlCharacters(String text) {
        StringBuilder out = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = isInvisibleControl(c);
            if (control && out == null) {
                out = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (out != null && !control) {
                out.append(c);
            }
        }
        return out == null ? text : out.toString();
    }

    private static boolean isInvisibleControl(char c) {
        return c <= 0x08 || c == 0x0B || (c >= 0x0E && c <= 0x1F) || c == 0x7F
                || (c >= 0x206A && c <= 0x206F) || c == 0xFEFF || (c >= 0xFFF9 && c <= 0xFFFC);
    }
}
