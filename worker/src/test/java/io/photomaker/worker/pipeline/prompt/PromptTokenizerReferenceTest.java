package io.photomaker.worker.pipeline.prompt;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.photomaker.common.prompt.PromptError;
import io.photomaker.common.text.ClipTokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The prompt tokenizer on the real CLIP vocabulary against cases recorded by the independent Python
 * reference (common's {@code clip-reference/clip_reference.py}), which restates the reference
 * pipeline's list arithmetic with the trigger as an added token.
 */
class PromptTokenizerReferenceTest {

    private static final Path MERGES = Path.of("testdata", "clip", "bpe_simple_vocab_16e6.txt.gz");

    private static ClipTokenizer clip;
    private static JsonNode reference;

    @BeforeAll
    static void load() throws IOException {
        clip = ClipTokenizer.load(findMerges());
        try (InputStream in = PromptTokenizerReferenceTest.class
                .getResourceAsStream("/clip-reference/expected_id_prompts.json")) {
            reference = new ObjectMapper().readTree(in);
        }
    }

    private static Path findMerges() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(MERGES))) {
                return dir.resolve(MERGES);
            }
        }
        throw new AssertionError("CLIP merges file not found: looked for " + MERGES + " in " + start + " and above");
    }

    @TestFactory
    Stream<DynamicTest> id_prompts_match_the_reference_arithmetic() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : reference.get("cases")) {
            int images = c.get("images").asInt();
            int perImage = c.get("tokens_per_image").asInt();
            String label = c.get("name").asText() + " " + images + "x" + perImage;
            tests.add(DynamicTest.dynamicTest(label, () -> {
                PromptTokens t = new PromptTokenizer(clip, "img", perImage)
                        .tokenize(c.get("prompt").asText(), "", images);
                assertArrayEquals(ints(c.get("ids_1")), t.idPromptIds1(), "encoder 1");
                assertArrayEquals(ints(c.get("ids_2")), t.idPromptIds2(), "encoder 2");
                assertArrayEquals(booleans(c.get("mask")), t.classTokenMask(), "class mask");
                assertArrayEquals(ints(c.get("text_only_1")), t.textOnlyIds1(), "text only 1");
                assertArrayEquals(ints(c.get("text_only_2")), t.textOnlyIds2(), "text only 2");
            }));
        }
        assertTrue(tests.size() >= 10);
        return tests.stream();
    }

    @Test
    void the_demo_prompt_repeats_woman_once_per_image_and_token() {
        int woman = clip.tokenId("woman</w>").orElseThrow();
        PromptTokens t = new PromptTokenizer(clip, "img", 2).tokenize("a photo of a woman img", "", 3);
        for (int i = 5; i < 11; i++) {
            assertEquals(woman, t.idPromptIds1()[i], "position " + i);
            assertTrue(t.classTokenMask()[i]);
        }
        assertEquals(clip.eosId(), t.idPromptIds1()[11]);
        assertEquals(0, t.idPromptIds2()[12]);
        assertEquals(clip.eosId(), t.idPromptIds1()[12]);
    }

    @Test
    void the_default_negative_prompt_is_encoded_like_clip_encodes_it() {
        String negative = "nsfw, lowres, bad anatomy, bad hands, text, error";
        PromptTokens t = new PromptTokenizer(clip, "img", 1).tokenize("a man img", negative, 1);
        int[] framed = clip.encodeWithSpecials(negative);
        for (int i = 0; i < framed.length; i++) {
            assertEquals(framed[i], t.negativeIds1()[i]);
            assertEquals(framed[i], t.negativeIds2()[i]);
        }
        assertEquals(0, t.negativeIds2()[framed.length]);
        assertEquals(clip.eosId(), t.negativeIds1()[framed.length]);
    }

    @Test
    void many_long_words_before_the_class_word_are_rejected_at_token_level() {
        String prompt = "supercalifragilisticexpialidocious ".repeat(9) + "man img";
        assertTrue(clip.encode(prompt).length > 70, "the words really are long in tokens");
        PromptError error = org.junit.jupiter.api.Assertions.assertThrows(PromptError.class,
                () -> new PromptTokenizer(clip, "img", 2).tokenize(prompt, "", 4));
        assertEquals("prompt_too_long", error.type());
    }

    private static int[] ints(JsonNode array) {
        int[] out = new int[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asInt();
        }
        return out;
    }

    private static boolean[] booleans(JsonNode array) {
        boolean[] out = new boolean[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asBoolean();
        }
        return out;
    }
}
