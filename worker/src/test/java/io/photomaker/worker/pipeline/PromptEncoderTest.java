package io.photomaker.worker.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.testkit.models.TinyModelBuilder;
import io.photomaker.worker.onnx.ExecutionConfig;
import io.photomaker.worker.pipeline.prompt.PromptTokens;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prompt embeddings with the tiny models: layout, class-token splicing, empty negative prompts. */
class PromptEncoderTest {

    private static final int D = TinyModelBuilder.PROMPT_DIM;

    @TempDir
    static Path dir;
    static PhotoMakerPipeline pipeline;

    @BeforeAll
    static void load() throws Exception {
        TinyModelBuilder.create().build(dir);
        pipeline = PhotoMakerPipeline.load(dir, ExecutionConfig.cpu(1));
    }

    @AfterAll
    static void close() {
        pipeline.close();
    }

    private static float[] row(float[] embedding, int r) {
        return Arrays.copyOfRange(embedding, r * D, (r + 1) * D);
    }

    @Test
    void splicing_the_stacked_id_embedding_changes_exactly_the_class_token_rows() {
        List<float[]> ids = pipeline.encodeIdImages(List.of(PipelineFixtures.photo(5, 230, 230), PipelineFixtures.photo(6, 230, 230)));
        PromptTokens tokens = pipeline.promptTokenizer().tokenize("a photo of a woman img in the snow", "", ids.size());
        PromptEncoder encoder = pipeline.promptEncoder();

        float[] plain = encoder.encode(tokens.idPromptIds1(), tokens.idPromptIds2()).hidden();
        float[] fused = encoder.fuseIdentity(plain, tokens, ids);

        assertEquals(2, tokens.classTokenCount());
        boolean[] mask = tokens.classTokenMask();
        for (int r = 0; r < 77; r++) {
            if (mask[r]) {
                assertFalse(Arrays.equals(row(plain, r), row(fused, r)), "class row " + r + " must be fused");
            } else {
                assertArrayEquals(row(plain, r), row(fused, r), "row " + r + " must stay");
            }
        }
        // the two copies of the class token get different identities
        assertFalse(Arrays.equals(row(fused, tokens.classTokenIndex()), row(fused, tokens.classTokenIndex() + 1)));
    }

    @Test
    void prompt_embeddings_are_encoder_one_then_encoder_two_per_token() {
        PromptTokens tokens = pipeline.promptTokenizer().tokenize("a woman img", "", 1);
        var models = pipeline.models();

        float[] joined = pipeline.promptEncoder().encode(tokens.textOnlyIds1(), tokens.textOnlyIds2()).hidden();
        float[] first = models.textEncoder1().encode(PromptTokens.toInt64(tokens.textOnlyIds1())).hiddenStates();
        float[] second = models.textEncoder2().encode(PromptTokens.toInt64(tokens.textOnlyIds2())).hiddenStates();

        int w1 = TinyModelBuilder.TEXT_HIDDEN_1;
        for (int t : new int[] {0, 3, 76}) {
            assertArrayEquals(Arrays.copyOfRange(first, t * w1, (t + 1) * w1), Arrays.copyOfRange(joined, t * D, t * D + w1));
            assertArrayEquals(Arrays.copyOfRange(second, t * (D - w1), (t + 1) * (D - w1)),
                    Arrays.copyOfRange(joined, t * D + w1, (t + 1) * D));
        }
    }

    @Test
    void only_an_absent_negative_prompt_gives_zero_embeddings_an_empty_one_is_encoded() {
        List<float[]> ids = pipeline.encodeIdImages(List.of(PipelineFixtures.photo(7, 230, 230)));
        PromptTokens absent = pipeline.promptTokenizer().tokenize("a woman img", null, 1);
        PromptTokens empty = pipeline.promptTokenizer().tokenize("a woman img", " ", 1);
        PromptTokens blurry = pipeline.promptTokenizer().tokenize("a woman img", "blurry", 1);

        PromptConditioning zero = pipeline.promptEncoder().encodeAll(absent, ids);
        PromptConditioning encodedEmpty = pipeline.promptEncoder().encodeAll(empty, ids);
        PromptConditioning real = pipeline.promptEncoder().encodeAll(blurry, ids);
        PromptEncoder.Embedding emptyPrompt = pipeline.promptEncoder().encode(empty.negativeIds1(), empty.negativeIds2());

        assertTrue(allZero(zero.negativePrompt()) && allZero(zero.negativePooled()));
        assertFalse(allZero(encodedEmpty.negativePrompt()));
        assertArrayEquals(emptyPrompt.hidden(), encodedEmpty.negativePrompt());
        assertArrayEquals(emptyPrompt.pooled(), encodedEmpty.negativePooled());
        assertFalse(allZero(real.negativePrompt()));
        assertArrayEquals(zero.idPrompt(), real.idPrompt());
        assertEquals(TinyModelBuilder.POOLED_DIM, real.negativePooled().length);
    }

    private static boolean allZero(float[] values) {
        for (float v : values) {
            if (v != 0f) {
                return false;
            }
        }
        return true;
    }
}
