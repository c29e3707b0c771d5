package io.photomaker.common.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes HTML character references the way CLIP's text cleanup does: {@link #unescape} follows the
 * HTML5 tokenizer rules as implemented by Python's {@code html.unescape}, {@link #unescapeStrict}
 * the narrower pass of ftfy (only references closed by a semicolon, plus upper-cased Latin names).
 */
final class HtmlUnescaper {

    private static final Pattern CHARACTER_REFERENCE =
            Pattern.compile("&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\\t\\n\\f <&#;]{1,32};?)");
    private static final Pattern STRICT_REFERENCE = Pattern.compile("&#?[0-9A-Za-z]{1,24};");
    private static final String ENTITY_RESOURCE = "html5-entities.tsv";
    private static final int MAX_CODE_POINT = 0x10FFFF;

    /** Windows-1252 meaning of bytes 0x80..0x9F; the five bytes it leaves undefined keep their Latin-1 value. */
    static final String WINDOWS_1252_HIGH = "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021"
            + "\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f"
            + "\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014"
            + "\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178";

    private HtmlUnescaper() {
    }

    /** Replaces every character reference, including legacy names without a semicolon. */
    static String unescape(String text) {
        if (text.indexOf('&') < 0) {
            return text;
        }
        Matcher matcher = CHARACTER_REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(decodeReference(matcher.group(1))));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    /** Replaces only unambiguous references: known names closed by ';' and complete numeric ones. */
    static String unescapeStrict(String text) {
        if (text.indexOf('&') < 0) {
            return text;
        }
        Matcher matcher = STRICT_REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (matcher.find()) {
            matcher.appendReplacement(out, Matcher.quoteReplacement(decodeStrict(matcher.group())));
        }
        matcher.appendTail(out);
        return out.toString();
    }

    private static String decodeStrict(String reference) {
        String known = Tables.STRICT.get(reference);
        if (known != null) {
            return known;
        }
        if (reference.startsWith("&#")) {
            String decoded = unescape(reference);
            // A numeric reference that was only partly decoded is left as it was written.
            return decoded.indexOf(';') >= 0 ? reference : decoded;
        }
        return reference;
    }

    private static String decodeReference(String body) {
        if (body.charAt(0) == '#') {
            boolean hex = body.charAt(1) == 'x' || body.charAt(1) == 'X';
            String digits = body.substring(hex ? 2 : 1);
            if (digits.endsWith(";")) {
                digits = digits.substring(0, digits.length() - 1);
            }
            return decodeNumber(digits, hex ? 16 : 10);
        }
        String exact = Tables.NAMED.get(body);
        if (exact != null) {
            return exact;
        }
        // HTML5: the longest known name that prefixes the text wins, the rest stays literal.
        for (int end = body.length() - 1; end > 1; end--) {
            String prefix = Tables.NAMED.get(body.substring(0, end));
            if (prefix != null) {
                return prefix + body.substring(end);
            }
        }
        return "&" + body;
    }

    private static String decodeNumber(String digits, int radix) {
        long value = 0;
        for (int i = 0; i < digits.length() && value <= MAX_CODE_POINT; i++) {
            value = value * radix + Character.digit(digits.charAt(i), radix);
        }
        if (value == 0) {
            return "\ufffd";
        }
        if (value == 0x0D) {
            return "\r";
        }
        if (value >= 0x80 && value <= 0x9F) {
            return String.valueOf(WINDOWS_1252_HIGH.charAt((int) value - 0x80));
        }
        if (value > MAX_CODE_POINT || (value >= 0xD800 && value <= 0xDFFF)) {
            return "\ufffd";
        }
        int codePoint = (int) value;
        return isDisallowedCodePoint(codePoint) ? "" : new String(Character.toChars(codePoint));
    }

    private static boolean isDisallowedCodePoint(int cp) {
        return (cp >= 0x01 && cp <= 0x08) || cp == 0x0B || (cp >= 0x0E && cp <= 0x1F)
                || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0xFDD0 && cp <= 0xFDEF)
                || (cp & 0xFFFE) == 0xFFFE;
    }

    /** Lazily loaded entity tables, so prompts without '&' never pay for them. */
    private static final class Tables {
        static final Map<String, String> NAMED = loadNamed();
        static final Map<String, String> STRICT = buildStrict();

        private static Map<String, String> loadNamed() {
            Map<String, String> named = new HashMap<>(4096);
            try (InputStream in = HtmlUnescaper.class.getResourceAsStream(ENTITY_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("missing class-path resource " + ENTITY_RESOURCE);
                }
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (!line.isEmpty() && line.charAt(0) != '#') {
                        int tab = line.indexOf('\t');
                        named.put(line.substring(0, tab), codePoints(line.substring(tab + 1)));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + ENTITY_RESOURCE, e);
            }
            return named;
        }

        private static String codePoints(String hexList) {
            StringBuilder value = new StringBuilder(2);
            for (String hex : hexList.split(" ")) {
                value.appendCodePoint(Integer.parseInt(hex, 16));
            }
            return value.toString();
        }

        private static Map<String, String> buildStrict() {
            Map<String, String> strict = new HashMap<>(4096);
            for (Map.Entry<String, String> entry : NAMED.entrySet()) {
                String name = entry.getKey();
                if (!name.endsWith(";")) {
                    continue;
                }
                strict.put("&" + name, entry.getValue());
                if (name.equals(name.toLowerCase(Locale.ROOT))) {
                    String upper = "&" + name.toUpperCase(Locale.ROOT);
                    // Only upper-case spellings that mean nothing else in HTML are safe to decode.
                    if (unescape(upper).equals(upper)) {
                        strict.put(upper, entry.getValue().toUpperCase(Locale.ROOT));
                    }
                }
            }
            return strict;
        }
    }
}
