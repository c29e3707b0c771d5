package io.photomaker.common.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Hugging Face vocab.json + merges.txt format, on a hand-made vocabulary whose ids are easy to follow. */
class HuggingFaceVocabularyTest {

    // Ids deliberately unlike CLIP's: the tokenizer must read them, not assume them.
    private static final String VOCAB = """
            {"a": 0, "b": 1, "c": 2, "a</w>": 3, "b</w>": 4, "c</w>": 5, "ab": 6, "ab</w>": 7,
             "abc</w>": 8, "\\u00c3": 9, "\\u00a9</w>": 10, "\\u00c3\\u00a9</w>": 11,
             "<|startoftext|>": 20, "<|endoftext|>": 21}
            """;
    private static final String MERGES = "#version: 0.2\na b\nab c</w>\na b</w>\n\u00c3 \u00a9</w>\n";

    @TempDir
    Path dir;

    private ClipTokenizer write() throws IOException {
        Files.writeString(dir.resolve("vocab.json"), VOCAB);
        Files.writeString(dir.resolve("merges.txt"), MERGES);
        return ClipTokenizer.load(dir);
    }

    @Test
    void words_are_merged_by_rank_and_framed_by_the_vocabulary_specials() throws IOException {
        ClipTokenizer tokenizer = write();
        // abc: a b -> ab (rank 0), ab c</w> -> abc</w> (rank 1); ab: a b</w> (rank 2) -> ab</w>;
        // ca: no ranked pair -> c, a</w>; é is UTF-8 C3 A9 -> Ã ©</w> (rank 3) -> one token.
        assertArrayEquals(new int[] {20, 8, 7, 2, 3, 11, 21}, tokenizer.encodeWithSpecials("ABC ab ca é"));
        assertEquals(20, tokenizer.bosId());
        assertEquals(21, tokenizer.eosId());
        assertEquals(22, tokenizer.vocabularySize());
        assertEquals(4, tokenizer.mergeCount());
    }

    @Test
    void symbols_missing_from_a_reduced_vocabulary_become_the_end_token() throws IOException {
        ClipTokenizer tokenizer = write();
        assertArrayEquals(new int[] {21, 0, 21}, tokenizer.encode("d ad"));
    }

    @Test
    void the_vocab_json_path_and_the_directory_load_the_same_tokenizer() throws IOException {
        ClipTokenizer fromDir = write();
        ClipTokenizer fromFile = ClipTokenizer.load(dir.resolve("vocab.json"));
        assertArrayEquals(fromDir.encode("abc ab"), fromFile.encode("abc ab"));
        assertEquals(OptionalInt.of(8), fromFile.tokenId("abc</w>"));
    }

    @Test
    void a_vocabulary_without_special_tokens_is_rejected() throws IOException {
        Files.writeString(dir.resolve("vocab.json"), "{\"a</w>\": 0}");
        Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\n");
        IOException error = assertThrows(IOException.class, () -> ClipTokenizer.load(dir));
        assertTrue(error.getMessage().contains("<|startoftext|>"), error.getMessage());
    }

    @Test
    void a_malformed_merge_line_names_its_position() throws IOException {
        Files.writeString(dir.resolve("vocab.json"), VOCAB);
        Files.writeString(dir.resolve("merges.txt"), "#version: 0.2\na b\nabc\n");
        IOException error = assertThrows(IOException.class, () -> ClipTokenizer.load(dir));
        assertTrue(error.getMessage().contains("merge 2"), error.getMessage());
    }

    @Test
    void a_missing_merges_file_is_reported() throws IOException {
        Files.writeString(dir.resolve("vocab.json"), VOCAB);
        IOException error = assertThrows(IOException.class, () -> ClipTokenizer.load(dir.resolve("vocab.json")));
        assertTrue(error.getMessage().contains("merges.txt"), error.getMessage());
    }
}
