package io.photomaker.common.model;

import io.photomaker.common.errors.ErrorType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelManifestTest {

    @TempDir
    Path dir;

    static ModelManifest sample(Map<String, ModelManifest.ModelFile> models) {
        return new ModelManifest(ModelManifest.FORMAT, "v1", 1, "img",
                new ModelManifest.Dims(8, 16, 24, 16, 24, 4, 8, 224, 77),
                new ModelManifest.TokenizerFiles("tokenizer/vocab.json", "tokenizer/merges.txt", 901, 0),
                new ModelManifest.SchedulerSettings(1000, 0.00085, 0.012, "scaled_linear", "leading", 1, "epsilon"),
                0.13025, true, models, Map.of("tokenizer/vocab.json", sha256Of(VOCAB), "tokenizer/merges.txt",
                        sha256Of(MERGES)));
    }

    private static final String VOCAB = "{}";
    private static final String MERGES = "#version: 0.2\n";

    static String sha256Of(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes one small file per model and returns entries carrying their real checksums. */
    private Map<String, ModelManifest.ModelFile> writeModelFiles() throws IOException {
        var models = new LinkedHashMap<String, ModelManifest.ModelFile>();
        for (ModelRole role : ModelRole.values()) {
            Path file = dir.resolve(role.key()).resolve("model.onnx");
            Files.createDirectories(file.getParent());
            Files.writeString(file, "weights of " + role.key());
            String path = role.key() + "/model.onnx";
            models.put(role.key(), role.isTextEncoder()
                    ? new ModelManifest.ModelFile(path, ModelManifest.sha256(file), ModelDtype.FLOAT32, "hidden_states.2", null)
                    : ModelManifest.ModelFile.of(path, ModelManifest.sha256(file), ModelDtype.FLOAT32));
        }
        Files.createDirectories(dir.resolve("tokenizer"));
        Files.writeString(dir.resolve("tokenizer/vocab.json"), VOCAB);
        Files.writeString(dir.resolve("tokenizer/merges.txt"), MERGES);
        return models;
    }

    private void writeManifestJson(String json) throws IOException {
        Files.writeString(dir.resolve(ModelManifest.FILE_NAME), json);
    }

    @Test
    void a_written_manifest_reads_back_equal_and_passes_file_verification() throws IOException {
        ModelManifest manifest = sample(writeModelFiles());
        manifest.write(dir);

        ModelManifest read = ModelManifest.read(dir);

        assertEquals(manifest, read);
        read.verifyFiles(dir);
        assertEquals(dir.resolve("unet/model.onnx"), read.modelPath(dir, ModelRole.UNET));
    }

    @Test
    void external_weights_and_tokenizer_files_are_checked_against_their_sha256() throws IOException {
        ModelManifest manifest = sample(writeModelFiles());
        manifest.write(dir);
        Path weights = dir.resolve("unet/model.onnx_data");
        Files.writeString(weights, "external weights");

        var unlisted = assertThrows(ModelManifestException.class, () -> ModelManifest.read(dir).verifyFiles(dir));
        assertEquals(ErrorType.INVALID_MANIFEST.wireName(), unlisted.type());
        assertTrue(unlisted.getMessage().contains("unet/model.onnx_data"), unlisted.getMessage());

        var files = new LinkedHashMap<>(manifest.files());
        files.put("unet/model.onnx_data", sha256Of("external weights"));
        manifest.withFiles(files).write(dir);
        ModelManifest.read(dir).verifyFiles(dir);

        Files.writeString(weights, "external weights, changed");
        var changed = assertThrows(ModelManifestException.class, () -> ModelManifest.read(dir).verifyFiles(dir));
        assertEquals(ErrorType.MODEL_CHECKSUM_MISMATCH.wireName(), changed.type());
        assertTrue(changed.getMessage().contains("files.unet/model.onnx_data"), changed.getMessage());

        Files.writeString(weights, "external weights");
        Files.writeString(dir.resolve("tokenizer/merges.txt"), "#version: 0.2\nx y\n");
        var tokenizer = assertThrows(ModelManifestException.class, () -> ModelManifest.read(dir).verifyFiles(dir));
        assertEquals(ErrorType.MODEL_CHECKSUM_MISMATCH.wireName(), tokenizer.type());
        assertTrue(tokenizer.getMessage().contains("tokenizer/merges.txt"), tokenizer.getMessage());
    }

    @Test
    void a_manifest_without_tokenizer_checksums_fails_verification() throws IOException {
        sample(writeModelFiles()).withFiles(null).write(dir);
        var e = assertThrows(ModelManifestException.class, () -> ModelManifest.read(dir).verifyFiles(dir));
        assertTrue(e.getMessage().contains("tokenizer/merges.txt") || e.getMessage().contains("tokenizer/vocab.json"),
                e.getMessage());
    }

    @Test
    void the_whole_scheduler_config_is_carried_as_written() throws IOException {
        sample(writeModelFiles()).write(dir);
        Path file = dir.resolve(ModelManifest.FILE_NAME);
        Files.writeString(file, Files.readString(file).replace("\"num_train_timesteps\" : 1000,",
                "\"num_train_timesteps\" : 1000, \"_class_name\": \"DPMSolverMultistepScheduler\","
                        + " \"lambda_min_clipped\": -Infinity, \"use_karras_sigmas\": true, \"trained_betas\": null,"));

        ModelManifest read = ModelManifest.read(dir);

        assertEquals(true, read.scheduler().values().get("use_karras_sigmas"));
        assertEquals(Double.NEGATIVE_INFINITY, read.scheduler().values().get("lambda_min_clipped"));
        assertTrue(read.scheduler().values().containsKey("trained_betas"));
        assertEquals(1000, read.scheduler().numTrainTimesteps());
        assertEquals("leading", read.scheduler().timestepSpacing());
    }

    @Test
    void the_json_uses_the_contract_field_names() throws IOException {
        sample(writeModelFiles()).write(dir);
        String json = Files.readString(dir.resolve(ModelManifest.FILE_NAME));

        for (String field : new String[] {"\"photomaker_version\"", "\"tokens_per_image\"", "\"text_hidden_1\"",
                "\"text_hidden_2\"", "\"vae_scale_factor_spatial\"", "\"pad_id_1\"", "\"pad_id_2\"",
                "\"force_zeros_for_empty_prompt\"", "\"hidden_state_output\"", "\"dtype\" : \"float32\""}) {
            assertTrue(json.contains(field), () -> "missing " + field + " in\n" + json);
        }
    }

    @Test
    void writing_the_same_manifest_twice_gives_identical_bytes_whatever_the_map_order() throws IOException {
        var models = writeModelFiles();
        var reversed = new LinkedHashMap<String, ModelManifest.ModelFile>();
        models.keySet().stream().sorted(java.util.Comparator.reverseOrder()).forEach(k -> reversed.put(k, models.get(k)));
        Path other = dir.resolve("other");

        sample(models).write(dir);
        sample(reversed).write(other);

        assertArrayEquals(Files.readAllBytes(dir.resolve(ModelManifest.FILE_NAME)),
                Files.readAllBytes(other.resolve(ModelManifest.FILE_NAME)));
    }

    @Test
    void a_missing_field_is_named_with_the_manifest_path() throws IOException {
        sample(writeModelFiles()).write(dir);
        Path file = dir.resolve(ModelManifest.FILE_NAME);
        Files.writeString(file, Files.readString(file).replace("\"prompt_dim\" : 24,", ""));

        var e = assertThrows(ModelManifestException.class, () -> ModelManifest.read(dir));

        assertEquals(ErrorType.INVALID_MANIFEST.wireName(), e.type());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("prompt_dim"), e.getMessage());
    }

    @Test
    void an_inconsistent_prompt_width_is_rejected_naming_the_fields() throws IOException {
        var bad = new ModelManifest(ModelManifest.FORMAT, "v1", 1, "img",
                new ModelManifest.Dims(8, 16, 25, 16, 25, 4, 8, 224, 77),
                sample(Map.of()).tokenizer(), sample(Map.of()).scheduler(), 0.13025, true, writeModelFiles(), null);

        var e = assertThrows(ModelManifestException.class, () -> bad.write(dir));

        assertTrue(e.getMessage().contains("dims.prompt_dim must equal dims.text_hidden_1 + dims.text_hidden_2"),
                e.getMessage());
    }

    @Test
    void an_unknown_dtype_is_rejected_naming_the_model() throws IOException {
        sample(writeModelFiles()).write(dir);
        Path file = dir.resolve(ModelManifest.FILE_NAME);
        String json = Files.readString(file);
        int unet = json.indexOf("\"unet\"");
        writeManifestJson(json.substring(0, unet)
                + json.substring(unet).replaceFirst("\"float32\"", "\"float64\""));

        var e = assertThrows(ModelManifestException.class, () -> ModelManifest.read(dir));

        assertTrue(e.getMessage().contains("models.unet.dtype"), e.getMessage());
    }

    @Test
    void a_text_encoder_without_hidden_state_output_is_rejected() throws IOException {
        var models = new LinkedHashMap<>(writeModelFiles());
        var te = models.get("text_encoder_2");
        models.put("text_encoder_2", ModelManifest.ModelFile.of(te.path(), te.sha256(), te.dtype()));

        var e = assertThrows(ModelManifestException.class, () -> sample(models).validate("manifest under test"));

        assertTrue(e.getMessage().startsWith("manifest under test: "), e.getMessage());
        assertTrue(e.getMessage().contains("models.text_encoder_2.hidden_state_output"), e.getMessage());
    }

    @Test
    void a_v1_manifest_with_two_tokens_per_image_is_rejected() {
        var m = sample(Map.of());
        var bad = new ModelManifest(m.format(), "v1", 2, "img", m.dims(), m.tokenizer(), m.scheduler(),
                m.vaeScalingFactor(), true, Map.of());

        var e = assertThrows(ModelManifestException.class, () -> bad.validate("m"));

        assertTrue(e.getMessage().contains("tokens_per_image must be 1 for photomaker_version v1"), e.getMessage());
        assertTrue(e.getMessage().contains("models.unet is missing"), e.getMessage());
    }

    @Test
    void model_paths_escaping_the_directory_are_rejected() throws IOException {
        var models = new LinkedHashMap<>(writeModelFiles());
        var fuse = models.get("fuse");
        models.put("fuse", ModelManifest.ModelFile.of("../elsewhere/model.onnx", fuse.sha256(), fuse.dtype()));

        var e = assertThrows(ModelManifestException.class, () -> sample(models).validate("m"));

        assertTrue(e.getMessage().contains("models.fuse.path must stay inside the model directory"), e.getMessage());
    }

    @Test
    void unknown_fields_from_newer_writers_are_ignored() throws IOException {
        sample(writeModelFiles()).write(dir);
        Path file = dir.resolve(ModelManifest.FILE_NAME);
        writeManifestJson(Files.readString(file).replaceFirst("\\{", "{ \"exported_by\" : \"export script 2\","));

        assertEquals("img", ModelManifest.read(dir).triggerWord());
    }

    @Test
    void a_missing_manifest_and_malformed_json_are_reported_as_invalid_manifest() throws IOException {
        var missing = assertThrows(ModelManifestException.class, () -> ModelManifest.read(dir));
        writeManifestJson("{ \"format\": ");
        var malformed = assertThrows(ModelManifestException.class, () -> ModelManifest.read(dir));

        assertEquals(ErrorType.INVALID_MANIFEST.wireName(), missing.type());
        assertTrue(missing.getMessage().contains("file not found"), missing.getMessage());
        assertTrue(malformed.getMessage().contains("not valid JSON"), malformed.getMessage());
    }

    @Test
    void a_changed_model_file_fails_verification_naming_the_file() throws IOException {
        ModelManifest manifest = sample(writeModelFiles());
        Path vae = dir.resolve("vae_decoder/model.onnx");
        Files.write(vae, "tampered".getBytes(StandardCharsets.UTF_8));

        var e = assertThrows(ModelManifestException.class, () -> manifest.verifyFiles(dir));

        assertEquals(ErrorType.MODEL_CHECKSUM_MISMATCH.wireName(), e.type());
        assertTrue(e.getMessage().startsWith(vae.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("models.vae_decoder.sha256"), e.getMessage());
    }

    @Test
    void a_missing_model_file_fails_verification_naming_the_file() throws IOException {
        ModelManifest manifest = sample(writeModelFiles());
        Path idEncoder = dir.resolve("id_encoder/model.onnx");
        Files.delete(idEncoder);

        var e = assertThrows(ModelManifestException.class, () -> manifest.verifyFiles(dir));

        assertEquals(ErrorType.MODEL_FILE_MISSING.wireName(), e.type());
        assertTrue(e.getMessage().contains(idEncoder.toString()), e.getMessage());
    }

    @Test
    void sha256_matches_the_published_value_for_a_known_input() throws IOException {
        Path file = dir.resolve("abc");
        Files.writeString(file, "abc");

        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", ModelManifest.sha256(file));
    }
}
