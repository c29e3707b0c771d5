package io.photomaker.worker.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.photomaker.common.errors.ErrorType;
import io.photomaker.common.model.ModelManifest;
import io.photomaker.common.model.ModelRole;
import io.photomaker.testkit.models.TinyModelBuilder;
import io.photomaker.testkit.models.TinyVocabulary;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelWrappersTest {

    @TempDir
    static Path dir;
    private static SessionFactory sessions;
    private static ModelManifest manifest;
    private static final TinyVocabulary VOCABULARY = TinyModelBuilder.vocabulary();

    @BeforeAll
    static void buildModels() throws Exception {
        manifest = TinyModelBuilder.create().build(dir.resolve("dynamic"));
        TinyModelBuilder.create().fixedBatchOfOne(true).build(dir.resolve("fixed"));
        TinyModelBuilder.create().float16(true).build(dir.resolve("fp16"));
        sessions = SessionFactory.create(ExecutionConfig.cpu(1));
    }

    private static Path model(String variant, ModelRole role) {
        return manifest.modelPath(dir.resolve(variant), role);
    }

    private static long[] ids(String... words) {
        long[] ids = new long[77];
        Arrays.fill(ids, VOCABULARY.endOfTextId());
        ids[0] = VOCABULARY.startOfTextId();
        for (int i = 0; i < words.length; i++) {
            ids[i + 1] = VOCABULARY.wordId(words[i]);
        }
        return ids;
    }

    private static float[] random(long seed, int n) {
        var random = new Random(seed);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    @Test
    void a_text_encoder_returns_the_configured_hidden_state_layer_and_pooled_output() throws Exception {
        long[] tokens = ids("a", "photo", "of", "a", "woman");
        try (var encoder = TextEncoder.load(sessions, dir.resolve("dynamic"), manifest, ModelRole.TEXT_ENCODER_2)) {
            TextEncoder.Encoding encoding = encoder.encode(tokens);
            assertEquals(77 * TinyModelBuilder.TEXT_HIDDEN_2, encoding.hiddenStates().length);
            assertEquals(TinyModelBuilder.POOLED_DIM, encoding.pooled().length);

            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (var session = env.createSession(model("dynamic", ModelRole.TEXT_ENCODER_2).toString(), new OrtSession.SessionOptions());
                    var input = OnnxTensor.createTensor(env, LongBuffer.wrap(tokens), new long[] {1, 77});
                    var result = session.run(Map.of("input_ids", input))) {
                assertArrayEquals(read(result, "hidden_states.2"), encoding.hiddenStates(), 0f);
                assertArrayEquals(read(result, "text_embeds"), encoding.pooled(), 0f);
            }
        }
    }

    private static float[] read(OrtSession.Result result, String name) {
        FloatBuffer buffer = ((OnnxTensor) result.get(name).orElseThrow()).getFloatBuffer();
        float[] values = new float[buffer.remaining()];
        buffer.get(values);
        return values;
    }

    @Test
    void a_float16_text_encoder_upcasts_its_outputs() {
        try (var f32 = TextEncoder.load(sessions, dir.resolve("dynamic"), manifest, ModelRole.TEXT_ENCODER);
                var f16 = TextEncoder.load(sessions, dir.resolve("fp16"), manifest, ModelRole.TEXT_ENCODER)) {
            long[] tokens = ids("a", "man", "wearing", "a", "hat");
            float[] expected = f32.encode(tokens).hiddenStates();
            float[] actual = f16.encode(tokens).hiddenStates();
            double max = 0;
            for (int i = 0; i < expected.length; i++) {
                max = Math.max(max, Math.abs(expected[i] - actual[i]));
            }
            assertTrue(max < 0.05, "float16 differs by " + max);
            assertEquals(ElementType.FLOAT16, f16.output("hidden_states.2").type());
        }
    }

    @Test
    void the_id_encoder_gives_the_same_embeddings_per_image_whatever_the_batch_layout() {
        int perImage = 3 * 224 * 224;
        float[] pixels = random(5, 3 * perImage);
        try (var dynamic = new IdEncoder(sessions, model("dynamic", ModelRole.ID_ENCODER), 224, 1, 24);
                var fixed = new IdEncoder(sessions, model("fixed", ModelRole.ID_ENCODER), 224, 1, 24)) {
            List<float[]> a = dynamic.encode(pixels, 3);
            List<float[]> b = fixed.encode(pixels, 3);

            assertEquals(3, a.size());
            for (int i = 0; i < 3; i++) {
                assertEquals(24, a.get(i).length);
                assertArrayEquals(a.get(i), b.get(i), 1e-5f);
            }
            List<float[]> second = dynamic.encode(Arrays.copyOfRange(pixels, perImage, 2 * perImage), 1);
            assertArrayEquals(a.get(1), second.get(0), 1e-5f);
        }
    }

    @Test
    void the_fuse_model_fuses_row_by_row_whatever_the_batch_layout() {
        float[] classRows = random(6, 2 * 24);
        float[] idRows = random(7, 2 * 24);
        try (var dynamic = new FuseModel(sessions, model("dynamic", ModelRole.FUSE), 24);
                var fixed = new FuseModel(sessions, model("fixed", ModelRole.FUSE), 24)) {
            float[] a = dynamic.fuse(classRows, idRows, 2);
            float[] b = fixed.fuse(classRows, idRows, 2);
            float[] firstOnly = dynamic.fuse(Arrays.copyOf(classRows, 24), Arrays.copyOf(idRows, 24), 1);

            assertArrayEquals(a, b, 1e-5f);
            assertArrayEquals(Arrays.copyOf(a, 24), firstOnly, 1e-5f);
        }
    }

    @Test
    void the_vae_decoder_returns_an_eight_times_larger_image_in_minus_one_to_one() {
        try (var vae = new VaeDecoder(sessions, model("fp16", ModelRole.VAE_DECODER), 4, 8)) {
            float[] image = vae.decode(random(8, 4 * 3 * 2), 3, 2);
            float[] again = vae.decode(random(9, 4 * 3 * 2), 3, 2);

            assertEquals(3 * 24 * 16, image.length);
            for (float v : image) {
                assertTrue(v >= -1 && v <= 1, "value " + v);
            }
            assertTrue(!Arrays.equals(image, again), "reused output buffer must carry the new image");
        }
    }

    @Test
    void loading_a_model_as_the_wrong_kind_names_the_file_and_the_missing_ports() {
        Path unet = model("dynamic", ModelRole.UNET);

        var e = assertThrows(ModelException.class, () -> new FuseModel(sessions, unet, 24));

        assertEquals(ErrorType.MODEL_INTERFACE_MISMATCH.wireName(), e.type());
        assertTrue(e.getMessage().startsWith("fuse model " + unet), e.getMessage());
        assertTrue(e.getMessage().contains("missing input prompt_embeds"), e.getMessage());
        assertTrue(e.getMessage().contains("unexpected input sample"), e.getMessage());
    }
}
