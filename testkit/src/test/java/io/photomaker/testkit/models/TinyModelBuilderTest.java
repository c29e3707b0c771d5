package io.photomaker.testkit.models;

import static io.photomaker.testkit.models.OrtTestSupport.assertTensor;
import static io.photomaker.testkit.models.OrtTestSupport.floats;
import static io.photomaker.testkit.models.OrtTestSupport.halfs;
import static io.photomaker.testkit.models.OrtTestSupport.longs;
import static io.photomaker.testkit.models.OrtTestSupport.maxAbsDifference;
import static io.photomaker.testkit.models.OrtTestSupport.open;
import static io.photomaker.testkit.models.OrtTestSupport.output;
import static io.photomaker.testkit.models.OrtTestSupport.random;
import static io.photomaker.testkit.models.TinyModelBuilder.MAX_TOKENS;
import static io.photomaker.testkit.models.TinyModelBuilder.POOLED_DIM;
import static io.photomaker.testkit.models.TinyModelBuilder.PROMPT_DIM;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.photomaker.common.model.ModelDtype;
import io.photomaker.common.model.ModelManifest;
import io.photomaker.common.model.ModelRole;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TinyModelBuilderTest {

    @TempDir
    Path dir;

    private final TinyVocabulary vocabulary = TinyModelBuilder.vocabulary();

    private long[] promptIds(int pad, String... words) {
        long[] ids = new long[MAX_TOKENS];
        Arrays.fill(ids, pad);
        ids[0] = vocabulary.startOfTextId();
        for (int i = 0; i < words.length; i++) {
            ids[i + 1] = vocabulary.wordId(words[i]);
        }
        ids[words.length + 1] = vocabulary.endOfTextId();
        return ids;
    }

    private Path model(ModelManifest manifest, ModelRole role) {
        return manifest.modelPath(dir, role);
    }

    @Test
    void the_directory_has_every_file_and_its_manifest_verifies() throws IOException {
        TinyModelBuilder.create().build(dir);

        ModelManifest manifest = ModelManifest.read(dir);
        manifest.verifyFiles(dir);

        assertEquals("hidden_states.2", manifest.model(ModelRole.TEXT_ENCODER).hiddenStateOutput());
        assertEquals(vocabulary.endOfTextId(), manifest.tokenizer().padId1());
        assertEquals(ModelDtype.FLOAT32, manifest.model(ModelRole.UNET).dtype());
    }

    @Test
    void building_twice_gives_identical_bytes() throws IOException {
        TinyModelBuilder.create().build(dir.resolve("one"));
        TinyModelBuilder.create().build(dir.resolve("two"));

        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir.resolve("one"))) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertEquals(9, files.size(), files::toString);
        for (Path file : files) {
            Path twin = dir.resolve("two").resolve(dir.resolve("one").relativize(file));
            assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(twin), file::toString);
        }
    }

    @Test
    void the_text_encoders_have_the_exported_interface() throws Exception {
        ModelManifest manifest = TinyModelBuilder.create().build(dir);
        try (var te1 = open(model(manifest, ModelRole.TEXT_ENCODER));
                var te2 = open(model(manifest, ModelRole.TEXT_ENCODER_2))) {
            assertTensor(te1.getInputInfo(), "input_ids", OnnxJavaType.INT64, -1, MAX_TOKENS);
            assertTensor(te1.getOutputInfo(), "last_hidden_state", OnnxJavaType.FLOAT, -1, MAX_TOKENS, 8);
            assertTensor(te1.getOutputInfo(), "pooler_output", OnnxJavaType.FLOAT, -1, 8);
            assertTensor(te2.getOutputInfo(), "text_embeds", OnnxJavaType.FLOAT, -1, POOLED_DIM);
            assertTensor(te2.getOutputInfo(), "last_hidden_state", OnnxJavaType.FLOAT, -1, MAX_TOKENS, 16);
            for (int k = 0; k <= TinyModelBuilder.TEXT_LAYERS; k++) {
                assertTensor(te1.getOutputInfo(), "hidden_states." + k, OnnxJavaType.FLOAT, -1, MAX_TOKENS, 8);
                assertTensor(te2.getOutputInfo(), "hidden_states." + k, OnnxJavaType.FLOAT, -1, MAX_TOKENS, 16);
            }
            assertEquals(TinyModelBuilder.TEXT_LAYERS + 3, te1.getOutputInfo().size());
        }
    }

    @Test
    void the_text_encoder_pools_the_end_of_text_row_and_depends_on_every_word() throws Exception {
        ModelManifest manifest = TinyModelBuilder.create().build(dir);
        int eos = vocabulary.endOfTextId();
        long[] woman = promptIds(eos, "a", "photo", "of", "a", "woman", "img");
        long[] man = promptIds(eos, "a", "photo", "of", "a", "man", "img");
        long[] both = new long[2 * MAX_TOKENS];
        System.arraycopy(woman, 0, both, 0, MAX_TOKENS);
        System.arraycopy(man, 0, both, MAX_TOKENS, MAX_TOKENS);

        try (var te1 = open(model(manifest, ModelRole.TEXT_ENCODER));
                OnnxTensor ids = longs(both, 2, MAX_TOKENS);
                OrtSession.Result result = te1.run(Map.of("input_ids", ids))) {
            float[] last = output(result, "last_hidden_state");
            float[] pooled = output(result, "pooler_output");
            float[] penultimate = output(result, "hidden_states.2");
            int h = 8;
            int eosPosition = 7;
            for (int b = 0; b < 2; b++) {
                float[] expected = Arrays.copyOfRange(last, (b * MAX_TOKENS + eosPosition) * h, (b * MAX_TOKENS + eosPosition + 1) * h);
                assertArrayEquals(expected, Arrays.copyOfRange(pooled, b * h, (b + 1) * h), 0f);
            }
            // the first token's row differs although only the fifth word differs: tokens mix
            assertTrue(maxAbsDifference(Arrays.copyOfRange(penultimate, 0, h),
                    Arrays.copyOfRange(penultimate, MAX_TOKENS * h, MAX_TOKENS * h + h)) > 1e-4);
        }
    }

    @Test
    void the_id_encoder_and_fuse_model_run_per_row() throws Exception {
        ModelManifest manifest = TinyModelBuilder.create().build(dir);
        try (var idEncoder = open(model(manifest, ModelRole.ID_ENCODER)); var fuse = open(model(manifest, ModelRole.FUSE))) {
            assertTensor(idEncoder.getInputInfo(), "id_pixel_values", OnnxJavaType.FLOAT, -1, 3, 224, 224);
            assertTensor(idEncoder.getOutputInfo(), "id_embeds", OnnxJavaType.FLOAT, -1, PROMPT_DIM);
            assertTensor(fuse.getInputInfo(), "prompt_embeds", OnnxJavaType.FLOAT, -1, PROMPT_DIM);
            assertTensor(fuse.getInputInfo(), "id_embeds", OnnxJavaType.FLOAT, -1, PROMPT_DIM);
            assertTensor(fuse.getOutputInfo(), "fused_embeds", OnnxJavaType.FLOAT, -1, PROMPT_DIM);

            float[] embeds;
            try (var pixels = floats(random(1, 2 * 3 * 224 * 224, 1.0), 2, 3, 224, 224);
                    var result = idEncoder.run(Map.of("id_pixel_values", pixels))) {
                embeds = output(result, "id_embeds");
            }
            assertEquals(2 * PROMPT_DIM, embeds.length);
            float[] first = Arrays.copyOf(embeds, PROMPT_DIM);
            assertTrue(maxAbsDifference(first, Arrays.copyOfRange(embeds, PROMPT_DIM, 2 * PROMPT_DIM)) > 1e-3);

            float[] classRow = random(2, PROMPT_DIM, 1.0);
            float[] fusedA = runFuse(fuse, classRow, first);
            float[] fusedB = runFuse(fuse, classRow, Arrays.copyOfRange(embeds, PROMPT_DIM, 2 * PROMPT_DIM));
            assertTrue(maxAbsDifference(fusedA, fusedB) > 1e-3, "fused row must depend on the ID embedding");
            assertTrue(maxAbsDifference(fusedA, classRow) > 1e-3, "fused row must differ from the class row");
        }
    }

    private static float[] runFuse(OrtSession fuse, float[] classRow, float[] idRow) throws OrtException {
        try (var c = floats(classRow, 1, PROMPT_DIM); var e = floats(idRow, 1, PROMPT_DIM);
                var result = fuse.run(Map.of("prompt_embeds", c, "id_embeds", e))) {
            return output(result, "fused_embeds");
        }
    }

    @Test
    void the_unet_output_depends_on_each_of_its_five_inputs() throws Exception {
        ModelManifest manifest = TinyModelBuilder.create().build(dir);
        var inputs = new HashMap<String, float[]>();
        inputs.put("sample", random(3, 2 * 4 * 8 * 8, 1.0));
        inputs.put("timestep", new float[] {981f});
        inputs.put("encoder_hidden_states", random(4, 2 * MAX_TOKENS * PROMPT_DIM, 1.0));
        inputs.put("text_embeds", random(5, 2 * POOLED_DIM, 1.0));
        inputs.put("time_ids", new float[] {1024, 1024, 0, 0, 1024, 1024, 1024, 1024, 0, 0, 1024, 1024});
        try (var unet = open(model(manifest, ModelRole.UNET))) {
            assertTensor(unet.getInputInfo(), "sample", OnnxJavaType.FLOAT, -1, 4, -1, -1);
            assertTensor(unet.getInputInfo(), "timestep", OnnxJavaType.FLOAT);
            assertTensor(unet.getInputInfo(), "encoder_hidden_states", OnnxJavaType.FLOAT, -1, MAX_TOKENS, PROMPT_DIM);
            assertTensor(unet.getInputInfo(), "text_embeds", OnnxJavaType.FLOAT, -1, POOLED_DIM);
            assertTensor(unet.getInputInfo(), "time_ids", OnnxJavaType.FLOAT, -1, 6);
            assertTensor(unet.getOutputInfo(), "out_sample", OnnxJavaType.FLOAT, -1, 4, -1, -1);

            float[] base = runUnet(unet, inputs);
            assertEquals(2 * 4 * 8 * 8, base.length);
            for (String name : List.of("sample", "timestep", "encoder_hidden_states", "text_embeds", "time_ids")) {
                var changed = new HashMap<>(inputs);
                float[] values = inputs.get(name).clone();
                for (int i = 0; i < values.length; i++) {
                    values[i] = values[i] * 0.5f + 3f;
                }
                changed.put(name, values);
                assertTrue(maxAbsDifference(base, runUnet(unet, changed)) > 1e-4, "out_sample ignores " + name);
            }
        }
    }

    private static float[] runUnet(OrtSession unet, Map<String, float[]> inputs) throws OrtException {
        try (var sample = floats(inputs.get("sample"), 2, 4, 8, 8);
                var t = OnnxTensor.createTensor(OrtTestSupport.ENV, inputs.get("timestep")[0]);
                var hidden = floats(inputs.get("encoder_hidden_states"), 2, MAX_TOKENS, PROMPT_DIM);
                var pooled = floats(inputs.get("text_embeds"), 2, POOLED_DIM);
                var timeIds = floats(inputs.get("time_ids"), 2, 6);
                var result = unet.run(Map.of("sample", sample, "timestep", t, "encoder_hidden_states", hidden,
                        "text_embeds", pooled, "time_ids", timeIds))) {
            return output(result, "out_sample");
        }
    }

    @Test
    void the_vae_decoder_upscales_eight_times_into_minus_one_to_one() throws Exception {
        ModelManifest manifest = TinyModelBuilder.create().build(dir);
        try (var vae = open(model(manifest, ModelRole.VAE_DECODER));
                var latent = floats(random(6, 4 * 6 * 5, 8.0), 1, 4, 6, 5);
                var result = vae.run(Map.of("latent_sample", latent))) {
            assertTensor(vae.getInputInfo(), "latent_sample", OnnxJavaType.FLOAT, -1, 4, -1, -1);
            OnnxTensor out = (OnnxTensor) result.get("sample").orElseThrow();
            assertArrayEquals(new long[] {1, 3, 48, 40}, out.getInfo().getShape());
            float[] pixels = output(result, "sample");
            double min = 0;
            double max = 0;
            for (float p : pixels) {
                min = Math.min(min, p);
                max = Math.max(max, p);
            }
            assertTrue(min >= -1 && max <= 1 && max - min > 0.1, "range " + min + ".." + max);
        }
    }

    @Test
    void the_float16_variant_has_half_precision_io_and_matches_float32_closely() throws Exception {
        ModelManifest f32 = TinyModelBuilder.create().build(dir.resolve("f32"));
        ModelManifest f16 = TinyModelBuilder.create().float16(true).build(dir.resolve("f16"));
        assertEquals(ModelDtype.FLOAT16, f16.model(ModelRole.FUSE).dtype());
        float[] c = random(7, 3 * PROMPT_DIM, 1.0);
        float[] e = random(8, 3 * PROMPT_DIM, 1.0);
        try (var fuse32 = open(f32.modelPath(dir.resolve("f32"), ModelRole.FUSE));
                var fuse16 = open(f16.modelPath(dir.resolve("f16"), ModelRole.FUSE));
                var c32 = floats(c, 3, PROMPT_DIM); var e32 = floats(e, 3, PROMPT_DIM);
                var c16 = halfs(c, 3, PROMPT_DIM); var e16 = halfs(e, 3, PROMPT_DIM);
                var r32 = fuse32.run(Map.of("prompt_embeds", c32, "id_embeds", e32));
                var r16 = fuse16.run(Map.of("prompt_embeds", c16, "id_embeds", e16))) {
            assertTensor(fuse16.getInputInfo(), "prompt_embeds", OnnxJavaType.FLOAT16, -1, PROMPT_DIM);
            assertTensor(fuse16.getOutputInfo(), "fused_embeds", OnnxJavaType.FLOAT16, -1, PROMPT_DIM);
            double difference = maxAbsDifference(output(r32, "fused_embeds"), output(r16, "fused_embeds"));
            assertTrue(difference < 0.05, "float16 differs by " + difference);
        }
    }

    @Test
    void the_older_unet_variant_takes_an_int64_timestep_per_batch_row() throws Exception {
        ModelManifest manifest = TinyModelBuilder.create().int64Timestep(true).build(dir);
        try (var unet = open(model(manifest, ModelRole.UNET))) {
            assertTensor(unet.getInputInfo(), "timestep", OnnxJavaType.INT64, -1);
        }
    }

    @Test
    void the_fixed_batch_variant_declares_a_batch_of_one_everywhere() throws Exception {
        ModelManifest manifest = TinyModelBuilder.create().fixedBatchOfOne(true).build(dir);
        try (var unet = open(model(manifest, ModelRole.UNET)); var te2 = open(model(manifest, ModelRole.TEXT_ENCODER_2));
                var id = open(model(manifest, ModelRole.ID_ENCODER))) {
            assertTensor(unet.getInputInfo(), "sample", OnnxJavaType.FLOAT, 1, 4, -1, -1);
            assertTensor(unet.getInputInfo(), "time_ids", OnnxJavaType.FLOAT, 1, 6);
            assertTensor(te2.getInputInfo(), "input_ids", OnnxJavaType.INT64, 1, MAX_TOKENS);
            assertTensor(id.getInputInfo(), "id_pixel_values", OnnxJavaType.FLOAT, 1, 3, 224, 224);
        }
    }
}
