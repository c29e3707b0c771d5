package io.photomaker.common.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Behaviour of the tokenizer on the real CLIP vocabulary beyond the recorded reference cases. */
class ClipTokenizerTest {

    private static Path mergesFile;
    private static ClipTokenizer tokenizer;

    @BeforeAll
    static void load() throws IOException {
        mergesFile = ClipMergesFile.require();
        tokenizer = ClipTokenizer.load(mergesFile);
    }

    @Test
    void a_photo_of_a_cat_has_the_well_known_ids() {
        assertArrayEquals(new int[] {49406, 320, 1125, 539, 320, 2368, 49407},
                tokenizer.encodeWithSpecials("a photo of a cat"));
        assertArrayEquals(new int[] {320, 1125, 539, 320, 2368}, tokenizer.encode("A Photo of a CAT"));
    }

    @Test
    void special_ids_and_size_are_those_of_clip() {
        assertEquals(49406, tokenizer.bosId());
        assertEquals(49407, tokenizer.eosId());
        assertEquals(49408, tokenizer.vocabularySize());
        assertEquals(ClipVocabulary.MAX_MERGES, tokenizer.mergeCount());
    }

    @Test
    void token_lookup_uses_the_byte_level_spelling() {
        assertEquals(OptionalInt.of(0), tokenizer.tokenId("!"), "the pad id of the second SDXL encoder");
        assertEquals(OptionalInt.of(267), tokenizer.tokenId(",</w>"));
        assertEquals(OptionalInt.of(49407), tokenizer.tokenId("<|endoftext|>"));
        assertEquals(OptionalInt.empty(), tokenizer.tokenId("definitely not a token"));
    }

    @Test
    void the_trigger_word_is_one_token() {
        OptionalInt img = tokenizer.tokenId("img</w>");
        assertTrue(img.isPresent());
        assertArrayEquals(new int[] {img.getAsInt()}, tokenizer.encodeWord("img"));
    }

    @Test
    void encoding_by_words_concatenates_to_the_plain_encoding() {
        String prompt = "sci-fi, closeup portrait photo of a man img wearing the sunglasses in Iron man suit";
        List<int[]> perWord = tokenizer.encodeWords(tokenizer.words(prompt));
        List<Integer> joined = new ArrayList<>();
        perWord.forEach(ids -> {
            for (int id : ids) {
                joined.add(id);
            }
        });
        assertArrayEquals(joined.stream().mapToInt(Integer::intValue).toArray(), tokenizer.encode(prompt));
    }

    @Test
    void empty_and_null_prompts_give_only_the_markers() {
        assertArrayEquals(new int[0], tokenizer.encode(""));
        assertArrayEquals(new int[] {49406, 49407}, tokenizer.encodeWithSpecials(null));
        assertThrows(IllegalArgumentException.class, () -> tokenizer.encodeWord(""));
    }

    @Test
    void long_prompts_are_neither_truncated_nor_padded() {
        String prompt = "a photo of a cat, ".repeat(40);
        int[] framed = tokenizer.encodeWithSpecials(prompt);
        assertEquals(40 * 6 + 2, framed.length);
        assertEquals(49407, framed[framed.length - 1]);
    }

    @Test
    void concurrent_encoding_gives_the_same_ids_as_sequential_encoding() throws Exception {
        List<String> prompts = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            prompts.add("portrait number " + i + " of a woman img, style " + Integer.toString(i * 7919, 36));
        }
        ClipTokenizer fresh = ClipTokenizer.load(mergesFile);
        List<int[]> expected = new ArrayList<>();
        for (String p : prompts) {
            expected.add(tokenizer.encode(p));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<int[]>> results = new ArrayList<>();
            for (int round = 0; round < 4; round++) {
                for (String p : prompts) {
                    results.add(pool.submit(() -> fresh.encode(p)));
                }
            }
            for (int i = 0; i < results.size(); i++) {
                assertArrayEquals(expected.get(i % prompts.size()), results.get(i).get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void missing_files_are_reported_with_their_path(@org.junit.jupiter.api.io.TempDir Path dir) {
        NoSuchFileException missing = assertThrows(NoSuchFileException.class,
                () -> ClipTokenizer.load(dir.resolve("nothing.txt.gz")));
        assertTrue(missing.getMessage().contains("nothing.txt.gz"));
        NoSuchFileException noVocab = assertThrows(NoSuchFileException.class, () -> ClipTokenizer.load(dir));
        assertTrue(noVocab.getMessage().contains("vocab.json"));
    }

    @Test
    void a_merges_file_that_is_not_gzip_is_rejected(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path plain = Files.writeString(dir.resolve("merges.txt.gz"), "#version: 0.2\ni n\n");
        assertThrows(IOException.class, () -> ClipTokenizer.load(plain));
    }

    @Test
    void the_special_markers_written_in_a_prompt_become_their_ids() {
        int[] ids = tokenizer.encode("cat<|endoftext|>");
        assertEquals(49407, ids[ids.length - 1]);
        assertEquals(List.of("cat", "<|endoftext|>", "dog"), tokenizer.words("cat <|endoftext|> Dog"));
    }
}
