package io.photomaker.worker.pipeline.prompt;

import static io.photomaker.worker.pipeline.prompt.CharacterVocabulary.BOS;
import static io.photomaker.worker.pipeline.prompt.CharacterVocabulary.EOS;
import static io.photomaker.worker.pipeline.prompt.CharacterVocabulary.end;
import static io.photomaker.worker.pipeline.prompt.CharacterVocabulary.letter;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.common.prompt.PromptError;
import io.photomaker.common.text.ClipTokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Index arithmetic of the ID prompt on a one-token-per-character vocabulary, where every class word and
 * trigger word spans several tokens and every expected id is written by hand.
 */
class PromptTokenizerArithmeticTest {

    private static final int PAD_2 = 0;
    private static final int A = end('a');
    private static final int M = letter('m');
    private static final int A_IN = letter('a');
    private static final int N_END = end('n');

    @TempDir
    static Path dir;
    private static ClipTokenizer tokenizer;

    @BeforeAll
    static void load() throws IOException {
        tokenizer = CharacterVocabulary.write(dir);
    }

    private static PromptTokenizer with(int tokensPerImage) {
        return new PromptTokenizer(tokenizer, "img", tokensPerImage);
    }

    /** {@code ids} followed by {@code pad} up to 77. */
    private static int[] padded(int pad, int... ids) {
        int[] out = Arrays.copyOf(ids, 77);
        Arrays.fill(out, ids.length, 77, pad);
        return out;
    }

    private static int[] repeat(int id, int times, int... before) {
        int[] out = Arrays.copyOf(before, before.length + times);
        Arrays.fill(out, before.length, out.length, id);
        return out;
    }

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }

    private static boolean[] mask(int from, int to) {
        boolean[] mask = new boolean[77];
        Arrays.fill(mask, from, to, true);
        return mask;
    }

    @Test
    void one_image_one_token_removes_the_trigger_and_keeps_the_class_token() {
        // a | m a n | i m g  ->  BOS a</w> m a n</w> EOS
        PromptTokens t = with(1).tokenize("a man img", null, 1);
        assertArrayEquals(padded(EOS, BOS, A, M, A_IN, N_END, EOS), t.idPromptIds1());
        assertArrayEquals(padded(PAD_2, BOS, A, M, A_IN, N_END, EOS), t.idPromptIds2());
        assertArrayEquals(mask(4, 5), t.classTokenMask());
        assertEquals(4, t.classTokenIndex());
        assertEquals(1, t.classTokenCount());
        assertFalse(t.idPromptTruncated());
    }

    @Test
    void the_last_token_of_the_class_word_is_repeated_images_times_tokens_per_image() {
        for (int images = 1; images <= 4; images++) {
            for (int perImage = 1; perImage <= 2; perImage++) {
                int copies = images * perImage;
                PromptTokens t = with(perImage).tokenize("a man img, smiling", "", images);
                int[] expected = concat(repeat(N_END, copies, BOS, A, M, A_IN),
                        new int[] {130, letter('s'), letter('m'), letter('i'), letter('l'), letter('i'),
                                letter('n'), end('g'), EOS});
                assertArrayEquals(padded(EOS, expected), t.idPromptIds1(), images + "x" + perImage);
                assertArrayEquals(padded(PAD_2, expected), t.idPromptIds2(), images + "x" + perImage);
                assertArrayEquals(mask(4, 4 + copies), t.classTokenMask(), images + "x" + perImage);
                assertEquals(copies, t.classTokenCount());
            }
        }
    }

    @Test
    void the_class_word_may_start_the_prompt_and_the_trigger_may_end_it() {
        PromptTokens first = with(1).tokenize("man img wearing a hat", "", 2);
        assertEquals(3, first.classTokenIndex());
        assertEquals(N_END, first.idPromptIds1()[3]);
        assertEquals(N_END, first.idPromptIds1()[4]);
        assertEquals(letter('w'), first.idPromptIds1()[5]);

        PromptTokens last = with(2).tokenize("a photo of a man img", "", 1);
        // BOS a</w> p h o t o</w> o f</w> a</w> m a n</w> n</w> EOS
        assertEquals(12, last.classTokenIndex());
        assertArrayEquals(mask(12, 14), last.classTokenMask());
        assertEquals(EOS, last.idPromptIds2()[14]);
        assertEquals(PAD_2, last.idPromptIds2()[15]);
    }

    @Test
    void a_trigger_word_split_into_several_tokens_is_removed_whole() {
        PromptTokenizer tokenizerWithLongTrigger = new PromptTokenizer(tokenizer, "zqx", 1);
        PromptTokens t = tokenizerWithLongTrigger.tokenize("a man zqx, smiling", "", 1);
        assertEquals(N_END, t.idPromptIds1()[4]);
        assertEquals(130, t.idPromptIds1()[5]);
        assertTrue(Arrays.stream(t.idPromptIds1()).noneMatch(id -> id == letter('z') || id == letter('q')));
    }

    @Test
    void the_text_only_prompt_is_the_prompt_without_trigger_encoded_normally() {
        PromptTokens t = with(2).tokenize("a man img, ok", "", 3);
        int[] expected = {BOS, A, M, A_IN, N_END, 130, letter('o'), end('k'), EOS};
        assertArrayEquals(padded(EOS, expected), t.textOnlyIds1());
        assertArrayEquals(padded(PAD_2, expected), t.textOnlyIds2());
        assertFalse(t.textOnlyTruncated());
    }

    @Test
    void only_an_absent_negative_prompt_is_flagged_absent_and_every_one_is_framed() {
        for (String negative : new String[] {null, "", " \t "}) {
            PromptTokens t = with(1).tokenize("a man img", negative, 1);
            assertEquals(negative == null, t.negativeAbsent(), "negative " + negative);
            assertArrayEquals(padded(EOS, BOS, EOS), t.negativeIds1());
            assertArrayEquals(padded(PAD_2, BOS, EOS), t.negativeIds2());
        }
        PromptTokens t = with(1).tokenize("a man img", "Bad", 1);
        assertFalse(t.negativeAbsent());
        assertArrayEquals(padded(PAD_2, BOS, letter('b'), letter('a'), end('d'), EOS), t.negativeIds2());
    }

    @Test
    void the_pad_ids_of_each_encoder_are_configurable() {
        PromptTokens t = new PromptTokenizer(tokenizer, "img", 1, 30, 130).tokenize("a man img", "", 1);
        assertArrayEquals(padded(30, BOS, A, M, A_IN, N_END, EOS), t.idPromptIds1());
        assertArrayEquals(padded(130, BOS, A, M, A_IN, N_END, EOS), t.idPromptIds2());
        assertArrayEquals(padded(130, BOS, EOS), t.negativeIds2());
    }

    @Test
    void a_long_prompt_is_truncated_to_75_tokens_before_the_class_token_is_repeated() {
        // BOS a</w> m a n</w> [i m g</w>] then 80 one-token words b</w>: CLIP keeps 75 prompt tokens.
        String prompt = "a man img" + " b".repeat(80);
        PromptTokens four = with(1).tokenize(prompt, "", 4);
        // 77 framed - 3 trigger tokens + 3 extra copies = 77: everything fits, the end marker stays.
        int[] expected = concat(repeat(N_END, 4, BOS, A, M, A_IN), repeat(end('b'), 68), new int[] {EOS});
        assertArrayEquals(expected, four.idPromptIds1());
        assertTrue(four.idPromptTruncated());

        PromptTokens eight = with(2).tokenize(prompt, "", 4);
        // 81 ids: like the reference, the last four go (three b</w> and the end marker).
        int[] cut = concat(repeat(N_END, 8, BOS, A, M, A_IN), repeat(end('b'), 65));
        assertArrayEquals(cut, eight.idPromptIds1());
        assertArrayEquals(cut, eight.idPromptIds2());
        assertArrayEquals(mask(4, 12), eight.classTokenMask());

        int[] textOnly = concat(new int[] {BOS, A, M, A_IN, N_END}, repeat(end('b'), 71), new int[] {EOS});
        assertArrayEquals(textOnly, eight.textOnlyIds1());
        assertTrue(eight.textOnlyTruncated());
    }

    @Test
    void class_tokens_that_would_be_cut_are_an_error_not_a_silent_truncation() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz";
        // 26 + 26 + 17 + 3 = 72 tokens before the trigger: class token at index 72.
        String prompt = alphabet + " " + alphabet + " " + alphabet.substring(0, 17) + " man img";
        PromptTokens exact = with(1).tokenize(prompt, "", 5);
        assertArrayEquals(mask(72, 77), exact.classTokenMask());
        assertEquals(N_END, exact.idPromptIds1()[76]);

        PromptError error = assertThrows(PromptError.class, () -> with(2).tokenize(prompt, "", 3));
        assertEquals("prompt_too_long", error.type());
        assertTrue(error.message().contains("token 72"), error.message());
    }

    @Test
    void a_trigger_word_cut_by_clips_truncation_is_an_error() {
        String alphabet = "abcdefghijklmnopqrstuvwxyz";
        // 26 + 26 + 19 + 3 = 74 tokens before: the trigger's tokens would sit at 75..77, past 75.
        String prompt = alphabet + " " + alphabet + " " + alphabet.substring(0, 19) + " man img";
        PromptError error = assertThrows(PromptError.class, () -> with(1).tokenize(prompt, "", 1));
        assertEquals("prompt_too_long", error.type());
    }

    @Test
    void word_level_prompt_errors_are_reported_with_their_types() {
        assertEquals("trigger_word_missing",
                assertThrows(PromptError.class, () -> with(1).tokenize("a man", "", 1)).type());
        assertEquals("trigger_word_repeated",
                assertThrows(PromptError.class, () -> with(1).tokenize("a man img img", "", 1)).type());
        assertEquals("trigger_word_without_class_word",
                assertThrows(PromptError.class, () -> with(1).tokenize("a man, img", "", 1)).type());
        assertEquals("trigger_word_in_negative_prompt",
                assertThrows(PromptError.class, () -> with(1).tokenize("a man img", "img", 1)).type());
        assertEquals("no_id_images",
                assertThrows(PromptError.class, () -> with(1).tokenize("a man img", "", 0)).type());
    }

    @Test
    void invalid_settings_are_rejected_when_the_tokenizer_is_built() {
        assertThrows(IllegalArgumentException.class, () -> new PromptTokenizer(tokenizer, "img", 0));
        assertThrows(IllegalArgumentException.class, () -> new PromptTokenizer(tokenizer, "img", 1, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> new PromptTokenizer(tokenizer, "img", 1, 201, 202));
        assertThrows(IllegalArgumentException.class, () -> new PromptTokenizer(tokenizer, " ", 1));
    }

    @Test
    void ids_widen_to_int64_for_the_text_encoders() {
        PromptTokens t = with(1).tokenize("a man img", "", 1);
        long[] wide = PromptTokens.toInt64(t.idPromptIds1());
        assertEquals(77, wide.length);
        assertEquals(BOS, wide[0]);
        assertEquals(N_END, wide[4]);
    }
}
