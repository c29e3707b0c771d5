package io.photomaker.common.text;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * CLIP's reversible byte-to-character mapping ({@code bytes_to_unicode}): every UTF-8 byte becomes
 * one printable character, so BPE can work on strings without whitespace or control characters.
 * Printable Latin-1 bytes map to themselves; the other 68 bytes map to U+0100 onwards in byte order.
 */
final class ByteLevelAlphabet {

    private static final char[] BYTE_TO_CHAR = new char[256];
    /** The 256 characters in CLIP's vocabulary order: self-mapped bytes first, then the shifted ones. */
    private static final List<String> VOCABULARY_ORDER;

    static {
        List<String> order = new ArrayList<>(256);
        for (int b = 0; b < 256; b++) {
            if (mapsToItself(b)) {
                BYTE_TO_CHAR[b] = (char) b;
                order.add(String.valueOf((char) b));
            }
        }
        int shifted = 0;
        for (int b = 0; b < 256; b++) {
            if (!mapsToItself(b)) {
                BYTE_TO_CHAR[b] = (char) (256 + shifted++);
                order.add(String.valueOf(BYTE_TO_CHAR[b]));
            }
        }
        VOCABULARY_ORDER = Collections.unmodifiableList(order);
    }

    private ByteLevelAlphabet() {
    }

    private static boolean mapsToItself(int b) {
        return (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
    }

    /** The byte-level spelling of a word: its UTF-8 bytes, one alphabet character each. */
    static String encode(String word) {
        byte[] utf8 = word.getBytes(StandardCharsets.UTF_8);
        char[] out = new char[utf8.length];
        for (int i = 0; i < utf8.length; i++) {
            out[i] = BYTE_TO_CHAR[utf8[i] & 0xFF];
        }
        return new String(out);
    }

    /** The 256 single-character tokens in the order CLIP numbers them (ids 0..255). */
    static List<String> vocabularyOrder() {
        return VOCABULARY_ORDER;
    }
}
