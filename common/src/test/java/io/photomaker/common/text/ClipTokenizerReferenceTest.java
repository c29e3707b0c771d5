package io.photomaker.common.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Compares the tokenizer with ids recorded by the independent Python reference
 * ({@code clip-reference/clip_reference.py}, standard library only) on the real CLIP merges file.
 */
class ClipTokenizerReferenceTest {

    private static ClipTokenizer tokenizer;
    private static JsonNode reference;

    @BeforeAll
    static void load() throws IOException {
        tokenizer = ClipTokenizer.load(ClipMergesFile.require());
        try (InputStream in = ClipTokenizerReferenceTest.class.getResourceAsStream("/clip-reference/expected_ids.json")) {
            reference = new ObjectMapper().readTree(in);
        }
    }

    @Test
    void vocabulary_has_the_size_the_reference_built() {
        assertEquals(reference.get("vocabulary_size").asInt(), tokenizer.vocabularySize());
    }

    @TestFactory
    Stream<DynamicTest> ids_match_the_python_reference_for_every_recorded_prompt() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : reference.get("cases")) {
            String text = c.get("text").asText();
            int[] expected = ints(c.get("ids"));
            tests.add(DynamicTest.dynamicTest(c.get("name").asText() + " ids", () ->
                    assertArrayEquals(expected, tokenizer.encode(text), "ids of " + escaped(text))));
            tests.add(DynamicTest.dynamicTest(c.get("name").asText() + " words", () ->
                    assertEquals(strings(c.get("words")), tokenizer.words(text), "words of " + escaped(text))));
            tests.add(DynamicTest.dynamicTest(c.get("name").asText() + " framed", () ->
                    assertArrayEquals(framed(expected), tokenizer.encodeWithSpecials(text))));
        }
        return tests.stream();
    }

    @Test
    void the_reference_cases_include_prompts_longer_than_the_text_encoder_window() {
        for (JsonNode c : reference.get("cases")) {
            if (c.get("name").asText().equals("over_long")) {
                int[] framed = tokenizer.encodeWithSpecials(c.get("text").asText());
                assertTrue(framed.length > 77, "over-long case has only " + framed.length + " ids");
                assertEquals(c.get("ids").size() + 2, framed.length, "no truncation");
                return;
            }
        }
        throw new AssertionError("no over_long case recorded");
    }

    private int[] framed(int[] ids) {
        int[] out = new int[ids.length + 2];
        out[0] = tokenizer.bosId();
        System.arraycopy(ids, 0, out, 1, ids.length);
        out[out.length - 1] = tokenizer.eosId();
        return out;
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String escaped(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(cp -> {
            if (cp >= 0x20 && cp < 0x7F) {
                out.appendCodePoint(cp);
            } else {
                out.append(String.format("\\u{%X}", cp));
            }
        });
        return out.toString();
    }
}
