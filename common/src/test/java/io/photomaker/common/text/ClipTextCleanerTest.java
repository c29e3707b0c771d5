package io.photomaker.common.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The cleanup steps one at a time (the reference test covers them end to end). */
class ClipTextCleanerTest {

    @Test
    void whitespace_is_what_python_calls_whitespace() {
        // Python's str.isspace: space separators plus bidi whitespace, paragraph and segment breaks.
        for (int cp : new int[] {' ', '\t', '\n', 0x0B, 0x0C, '\r', 0x1C, 0x1F, 0x85, 0xA0, 0x1680, 0x2000,
                0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000}) {
            assertTrue(ClipTextCleaner.isWhitespace(cp), Integer.toHexString(cp));
        }
        for (int cp : new int[] {'a', 0x180E, 0x200B, 0x200D, 0xFEFF, 0x00AD}) {
            assertFalse(ClipTextCleaner.isWhitespace(cp), Integer.toHexString(cp));
        }
    }

    @Test
    void whitespace_runs_collapse_and_the_ends_are_trimmed() {
        assertEquals("a b c", ClipTextCleaner.clean(" \t A\u00a0\u2003 B\r\n\nC \u3000"));
    }

    @Test
    void html_references_are_decoded_twice_after_ftfy_but_not_three_times() {
        // With a literal '<' ftfy keeps entities, so only CLIP's two html.unescape passes run.
        assertEquals("<i> &amp;", ClipTextCleaner.clean("<i> &amp;amp;amp;"));
        // Without it ftfy decodes until nothing changes.
        assertEquals("&", ClipTextCleaner.clean("&amp;amp;amp;amp;"));
    }

    @Test
    void ftfy_character_repairs_are_applied() {
        Map<String, String> cases = Map.of(
                "\ufb01ne \ufb02ower", "fine flower",
                "\uff21\uff22\uff23", "abc",
                "it\u2019s \u201cok\u201d", "it's \"ok\"",
                "a\u0085b", "a\u2026b",
                "\u001b[1;31mred\u001b[0m", "red",
                "x\u0000y\u200by", "xy\u200by",
                "cafe\u0301", "caf\u00e9");
        cases.forEach((raw, cleaned) -> assertEquals(cleaned, ClipTextCleaner.clean(raw), raw));
    }

    @Test
    void html_unescape_follows_the_html5_rules() {
        Map<String, String> cases = Map.of(
                "&amp;", "&",
                "&ampx", "&x",
                "&notit;", "\u00acit;",
                "&#x80;", "\u20ac",
                "&#0;", "\ufffd",
                "&#1;x", "x",
                "&#99999999999999999999;", "\ufffd",
                "&bogus;", "&bogus;",
                "&#x1F600", "\ud83d\ude00");
        cases.forEach((raw, decoded) -> assertEquals(decoded, HtmlUnescaper.unescape(raw), raw));
    }

    @Test
    void strict_unescape_decodes_only_closed_references() {
        assertEquals("&copy &EACUTE x \u00c9", HtmlUnescaper.unescapeStrict("&copy &EACUTE x &EACUTE;"));
        assertEquals("< \u00d1 &nTILDE;", HtmlUnescaper.unescapeStrict("&LT; &NTILDE; &nTILDE;"));
    }

    @Test
    void pre_tokens_split_letters_digits_contractions_and_symbols() {
        assertEquals(List.of("it", "'s", "3", "5", "mm", "!?", "'", "ok"),
                ClipPreTokenizer.words("It's 35mm!? 'OK"));
    }
}
