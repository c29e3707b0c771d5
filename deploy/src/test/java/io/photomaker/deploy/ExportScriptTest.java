package io.photomaker.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The export script needs a GPU, PyPI and the weights, none of which exist here; what can be checked
 * without them is checked: it compiles, its planned layout is the model-directory contract, and its
 * manifest writer hashes every file.
 */
class ExportScriptTest {

    private static final String SCRIPT = "deploy/export/export_photomaker.py";
    private static final String V2_SCRIPT = "deploy/export/export_photomaker_v2.py";
    private static final Map<String, String> CONTRACT = Map.of(
            "text_encoder", "text_encoder/model.onnx",
            "text_encoder_2", "text_encoder_2/model.onnx",
            "id_encoder", "id_encoder/model.onnx",
            "fuse", "fuse/model.onnx",
            "unet", "unet/model.onnx",
            "vae_decoder", "vae_decoder/model.onnx");

    @Test
    void the_export_scripts_compile() throws Exception {
        ExternalTool.Result result = python("import sys; [compile(open(f).read(), f, 'exec') for f in sys.argv[1:]]",
                SCRIPT, V2_SCRIPT);
        assertEquals(0, result.exitCode(), result.output());
    }

    @Test
    void the_planned_layout_is_the_model_directory_contract() throws Exception {
        JsonNode layout = layout();
        assertEquals("photomaker-onnx/1", layout.path("format").asText());
        assertEquals("v1", layout.path("photomaker_version").asText());
        assertEquals("img", layout.path("trigger_word").asText());
        Set<String> names = new TreeSet<>();
        layout.path("models").fieldNames().forEachRemaining(names::add);
        assertEquals(new TreeSet<>(CONTRACT.keySet()), names);
        CONTRACT.forEach((name, path) -> assertEquals(path, layout.at("/models/" + name + "/path").asText()));
        List<String> files = new ArrayList<>();
        layout.path("files").forEach(f -> files.add(f.asText()));
        assertTrue(files.containsAll(List.of("manifest.json", "tokenizer/vocab.json", "tokenizer/merges.txt")), files::toString);
    }

    @Test
    void the_vae_precision_comes_from_force_upcast_not_from_the_vae_name() throws Exception {
        assertEquals("by force_upcast", layout().at("/models/vae_decoder/dtype").asText());
        assertEquals("float16", layout().at("/models/unet/dtype").asText());
        assertEquals("float32", call("m.vae_dtype(True, 'float16')").asText());
        assertEquals("float16", call("m.vae_dtype(False, 'float16')").asText());
        assertEquals("float32", call("m.vae_dtype(False, 'float32')").asText());
        assertEquals("base", call("m.parse_args(['--out', 'x']).vae").asText(), "the base model's own VAE by default");
    }

    @Test
    void version_checks_want_torch_2_5_and_name_what_is_missing() throws Exception {
        JsonNode old = call("m.version_problems({'torch': '2.4.1+cu121', 'diffusers': '0.31.0', 'transformers': '4.46.0',"
                + " 'peft': '0.13.0', 'onnx': '1.17.0'})");
        assertEquals(1, old.size(), old.toString());
        assertTrue(old.get(0).asText().contains("torch 2.4.1+cu121 is too old"), old.toString());
        JsonNode fine = call("m.version_problems({'torch': '2.5.0', 'diffusers': '0.31.0.dev0', 'transformers': '4.46.0',"
                + " 'peft': '0.13.0', 'onnx': '1.17.0'})");
        assertEquals(0, fine.size(), fine.toString());
        JsonNode missing = call("m.version_problems({'torch': '2.5.0', 'diffusers': None, 'transformers': '4.46.0',"
                + " 'peft': '0.13.0', 'onnx': '1.17.0'})");
        assertTrue(missing.get(0).asText().contains("diffusers is not installed"), missing.toString());
        assertEquals("[2,5,1]", call("list(m.version_tuple('2.5.1+cu121'))").toString());
    }

    @Test
    void disk_and_gpu_memory_are_checked_before_the_export() throws Exception {
        JsonNode tight = call("m.resource_problems(8 * 2**30, 6 * 2**30, 'float16', 'cuda')");
        assertEquals(2, tight.size(), tight.toString());
        assertTrue(tight.get(0).asText().contains("GiB free on the output disk"), tight.toString());
        assertTrue(tight.get(1).asText().contains("GiB free on the GPU"), tight.toString());
        assertEquals(0, call("m.resource_problems(100 * 2**30, 40 * 2**30, 'float16', 'cuda')").size());
        assertTrue(call("m.resource_problems(100 * 2**30, None, 'float16', 'cuda')").get(0).asText()
                .contains("no CUDA GPU"));
    }

    @Test
    void the_dry_run_reports_libraries_and_its_verdict_without_exporting(@TempDir Path dir) throws Exception {
        ExternalTool.Result result = python(null, SCRIPT, "--out", dir.resolve("out").toString(), "--dry-run");
        assertTrue(result.output().contains("libraries: "), result.output());
        assertTrue(result.output().contains("dry run: "), result.output());
        assertEquals(result.output().contains("ready to export") ? 0 : 1, result.exitCode(), result.output());
        assertFalse(Files.exists(dir.resolve("out")), "a dry run writes nothing");
    }

    @Test
    void the_checkpoint_keys_are_checked() throws Exception {
        String ids = "['vision_model.embeddings.patch_embedding.weight', 'visual_projection_2.weight', "
                + "'fuse_module.mlp1.fc1.weight']";
        String lora = "['unet.down_blocks.1.attentions.0.transformer_blocks.0.attn1.to_q.lora.down.weight', "
                + "'unet.down_blocks.1.attentions.0.transformer_blocks.0.attn1.to_q.lora.up.weight']";
        assertEquals(0, call("m.checkpoint_problems(['id_encoder', 'lora_weights'], " + ids + ", " + ids + ", " + lora
                + ")").size());
        JsonNode bad = call("m.checkpoint_problems(['id_encoder', 'lora_weights'], " + ids + "[:2], " + ids
                + ", ['text_encoder.layers.0.mlp.lora.down.weight'])");
        assertEquals(2, bad.size(), bad.toString());
        assertTrue(bad.get(0).asText().contains("id_encoder lacks 1 parameters"), bad.toString());
        assertTrue(bad.get(1).asText().contains("not UNet attention projections"), bad.toString());
        assertTrue(call("m.checkpoint_problems(['state_dict'], [], [], [])").get(0).asText().contains("expected id_encoder"));
        assertEquals(1, call("m.lora_pair_count(" + lora + ")").asInt());
    }

    @Test
    void a_lora_that_did_not_attach_or_fuse_fails_the_export() throws Exception {
        assertEquals(0, call("m.lora_fusion_problems(2, 2, [('a', 0.1, 0.1, 0.001), ('b', 0.2, 0.2, 0.0)], 0.05)").size());
        JsonNode unmatched = call("m.lora_fusion_problems(3, 2, [('a', 0.1, 0.1, 0.0), ('b', 0.2, 0.2, 0.0)], 0.05)");
        assertTrue(unmatched.get(0).asText().contains("keys did not match the UNet"), unmatched.toString());
        JsonNode unfused = call("m.lora_fusion_problems(2, 2, [('a', 0.0, 0.1, 0.1), ('b', 0.2, 0.2, 0.0)], 0.05)");
        assertTrue(unfused.get(0).asText().contains("were not fused"), unfused.toString());
        JsonNode wrong = call("m.lora_fusion_problems(1, 1, [('a', 0.3, 0.1, 0.2)], 0.05)");
        assertTrue(wrong.get(0).asText().contains("differ from weight + B @ A * scale"), wrong.toString());
    }

    @Test
    void verification_fails_on_nan_and_on_relative_error_above_the_tolerance() throws Exception {
        String ok = "{'model': 'unet', 'output': 'out_sample', 'max_reference': 4.0, 'max_error': 0.02, 'nan': False}";
        String off = "{'model': 'vae_decoder', 'output': 'sample', 'max_reference': 1.0, 'max_error': 0.5, 'nan': False}";
        String nan = "{'model': 'fuse', 'output': 'fused_embeds', 'max_reference': 1.0, 'max_error': 0.0, 'nan': True}";
        assertEquals(0, call("m.verification_problems([" + ok + "], 0.02)").size());
        JsonNode problems = call("m.verification_problems([" + ok + ", " + off + ", " + nan + "], 0.02)");
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).asText().startsWith("vae_decoder.sample: relative error"), problems.toString());
        assertTrue(problems.get(1).asText().startsWith("fuse.fused_embeds: NaN"), problems.toString());
    }

    @Test
    void the_verified_interface_is_the_one_the_java_loader_probes() throws Exception {
        String unetIn = "{'sample': ('float16', (None, 4, 'h', 'w')), 'timestep': ('float', ()), "
                + "'encoder_hidden_states': ('float16', ('b', 77, 2048)), 'text_embeds': ('float16', ('b', 1280)), "
                + "'time_ids': ('float16', ('b', 6))}";
        String unetOut = "{'out_sample': ('float16', ('b', 4, 'h', 'w'))}";
        assertEquals(0, call("m.interface_problems('unet', " + unetIn + ", " + unetOut + ")").size());
        JsonNode bad = call("m.interface_problems('unet', " + unetIn.replace("2048", "1024") + ", {})");
        assertEquals(2, bad.size(), bad.toString());
        assertTrue(bad.get(0).asText().contains("unet.encoder_hidden_states: dims"), bad.toString());
        assertTrue(bad.get(1).asText().contains("no output out_sample"), bad.toString());
        JsonNode te = call("m.interface_problems('text_encoder', {'input_ids': ('int64', ('b', 77))}, "
                + "{'pooler_output': ('float16', ('b', 768)), 'hidden_states.11': ('float16', ('b', 77, 768))}, "
                + "'hidden_states.11')");
        assertEquals(0, te.size(), te.toString());
        assertEquals(1, call("m.interface_problems('text_encoder', {'input_ids': ('int64', ('b', 77))}, "
                + "{'pooler_output': ('float16', ('b', 768))}, 'hidden_states.11')").size());
    }

    @Test
    void the_base_configs_are_checked_against_sdxl() throws Exception {
        String unet = "{'in_channels': 4, 'cross_attention_dim': 2048, 'addition_embed_type': 'text_time'}";
        String vae = "{'latent_channels': 4, 'scaling_factor': 0.13025, 'force_upcast': True}";
        String te1 = "{'hidden_size': 768}";
        String te2 = "{'hidden_size': 1280}";
        assertEquals(0, call("m.base_config_problems(" + unet + ", " + vae + ", {'prediction_type': 'epsilon'}, "
                + te1 + ", " + te2 + ")").size());
        JsonNode v = call("m.base_config_problems(" + unet + ", " + vae
                + ", {'prediction_type': 'v_prediction', 'thresholding': True}, " + te1 + ", " + te2 + ")");
        assertEquals(2, v.size(), v.toString());
        assertTrue(v.get(0).asText().contains("scheduler.prediction_type"), v.toString());
        assertTrue(v.get(1).asText().contains("scheduler.thresholding"), v.toString());
    }

    @Test
    void the_manifest_carries_the_whole_scheduler_config_and_the_library_versions() throws Exception {
        JsonNode config = call("m.scheduler_config({'_class_name': 'EulerDiscreteScheduler', 'trained_betas': None,"
                + " 'steps_offset': 1, 'timestep_spacing': 'leading', 'sigmas': (1.0, 2.0)})");
        assertEquals(5, config.size(), config.toString());
        assertEquals("EulerDiscreteScheduler", config.path("_class_name").asText());
        assertTrue(config.has("trained_betas") && config.path("trained_betas").isNull());
        assertEquals("[1.0,2.0]", config.path("sigmas").toString());
        JsonNode versions = call("m.library_versions(('json', 'no_such_library_here'))");
        assertTrue(versions.has("json"));
        assertTrue(versions.path("no_such_library_here").isNull());
    }

    @Test
    void scratch_directories_under_the_output_are_not_part_of_the_export(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("unet"));
        Files.writeString(dir.resolve("unet/model.onnx"), "graph");
        Files.createDirectories(dir.resolve(".scratch-abc"));
        Files.writeString(dir.resolve(".scratch-abc/model.onnx"), "half-written");
        ExternalTool.Result result = withModule("export", SCRIPT,
                "m.write_manifest(sys.argv[2], {'models': {'unet': {'path': 'unet/model.onnx'}}})\n", dir.toString());
        assertEquals(0, result.exitCode(), result.output());
        JsonNode manifest = YamlDocs.readJson(dir.resolve("manifest.json"));
        List<String> files = new ArrayList<>();
        manifest.path("files").fieldNames().forEachRemaining(files::add);
        assertEquals(List.of("unet/model.onnx"), files);
        assertEquals(".scratch-", call("m.SCRATCH_PREFIX").asText());
    }

    /** The JSON of a Python expression over the export module {@code m} (which needs no heavy library). */
    private static JsonNode call(String expression) throws Exception {
        ExternalTool.Result result = withModule("export", SCRIPT, "print(json.dumps(" + expression + "))\n");
        assertEquals(0, result.exitCode(), result.output());
        return YamlDocs.JSON.readTree(result.output());
    }

    @Test
    void the_manifest_records_the_sha256_of_every_model_and_every_file(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("unet"));
        Files.writeString(dir.resolve("unet/model.onnx"), "graph");
        Files.writeString(dir.resolve("unet/model.onnx_data"), "weights");
        ExternalTool.Result result = withModule("export", SCRIPT,
                "m.write_manifest(sys.argv[2], {'models': {'unet': {'path': 'unet/model.onnx'}}})\n", dir.toString());
        assertEquals(0, result.exitCode(), result.output());
        JsonNode manifest = YamlDocs.readJson(dir.resolve("manifest.json"));
        assertEquals(sha256("graph"), manifest.at("/models/unet/sha256").asText());
        assertEquals(sha256("graph"), manifest.at("/files/unet~1model.onnx").asText());
        assertEquals(sha256("weights"), manifest.at("/files/unet~1model.onnx_data").asText());
    }

    @Test
    void float16_weights_get_float32_inputs_and_outputs_unless_asked_otherwise() throws Exception {
        ExternalTool.Result result = withModule("export", SCRIPT, "a = m.parse_args(['--out', 'x'])\n"
                + "n = m.parse_args(['--out', 'x', '--io-dtype', 'native'])\n"
                + "print(m.float32_io(a, 'float16'), m.float32_io(a, 'float32'), m.float32_io(n, 'float16'))\n");
        assertEquals(0, result.exitCode(), result.output());
        assertEquals("True False False", result.output().trim());
    }

    @Test
    void the_v2_layout_adds_the_buffalo_l_face_models_and_two_tokens_per_photo() throws Exception {
        JsonNode layout = layout("--photomaker-version", "v2");
        assertEquals("v2", layout.path("photomaker_version").asText());
        assertEquals(2, layout.path("tokens_per_image").asInt());
        assertEquals("face_detector/det_10g.onnx", layout.at("/models/face_detector/path").asText());
        assertEquals("face_recognizer/w600k_r50.onnx", layout.at("/models/face_recognizer/path").asText());
        assertEquals("float32", layout.at("/models/face_recognizer/dtype").asText());
        CONTRACT.forEach((name, path) -> assertEquals(path, layout.at("/models/" + name + "/path").asText()));
        List<String> files = new ArrayList<>();
        layout.path("files").forEach(f -> files.add(f.asText()));
        assertTrue(files.contains("face_detector/det_10g.onnx"), files::toString);
    }

    @Test
    void the_v2_face_models_are_copied_from_a_buffalo_l_directory_and_hashed(@TempDir Path dir) throws Exception {
        Path buffalo = dir.resolve("buffalo_l");
        Files.createDirectories(buffalo);
        Files.writeString(buffalo.resolve("det_10g.onnx"), "detector");
        Files.writeString(buffalo.resolve("w600k_r50.onnx"), "recognizer");
        Path out = dir.resolve("out");
        String code = "import sys, importlib.util, os\n"
                + "def load(name, path):\n"
                + "    spec = importlib.util.spec_from_file_location(name, path)\n"
                + "    m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m); return m\n"
                + "v1 = load('export', sys.argv[1]); v2 = load('export_v2', sys.argv[2])\n"
                + "parts = v2.V2Parts(v1); parts.face_dir = v2.find_face_models(sys.argv[3])\n"
                + "for d, f in v2.FACE_MODELS.values():\n"
                + "    os.makedirs(os.path.join(sys.argv[4], d), exist_ok=True)\n"
                + "    open(os.path.join(sys.argv[4], d, f), 'wb').write(open(os.path.join(parts.face_dir, f), 'rb').read())\n"
                + "m = parts.finish_manifest(None, {'models': {}})\n"
                + "v1.write_manifest(sys.argv[4], m)\n";
        ExternalTool.Result result = python(code, SCRIPT, V2_SCRIPT, buffalo.toString(), out.toString());
        assertEquals(0, result.exitCode(), result.output());
        JsonNode manifest = YamlDocs.readJson(out.resolve("manifest.json"));
        assertEquals(2, manifest.path("tokens_per_image").asInt());
        assertEquals(sha256("detector"), manifest.at("/models/face_detector/sha256").asText());
        assertEquals(sha256("recognizer"), manifest.at("/models/face_recognizer/sha256").asText());
    }

    @Test
    void a_missing_buffalo_l_file_is_named() throws Exception {
        ExternalTool.Result result = withModule("export_v2", V2_SCRIPT, "m.find_face_models(sys.argv[2])\n",
                "/nonexistent/buffalo_l");
        assertTrue(result.exitCode() != 0);
        assertTrue(result.output().contains("w600k_r50.onnx"), result.output());
    }

    private static JsonNode layout(String... extra) throws Exception {
        List<String> args = new ArrayList<>(List.of(SCRIPT, "--out", "unused", "--print-layout"));
        args.addAll(List.of(extra));
        ExternalTool.Result result = python(null, args.toArray(String[]::new));
        assertEquals(0, result.exitCode(), result.output());
        return YamlDocs.JSON.readTree(result.output());
    }

    /**
     * Runs {@code body} with the script {@code script} loaded as module {@code m} (named {@code name}); the
     * body sees {@code sys} and {@code json}, and {@code args} as {@code sys.argv[2:]}.
     */
    private static ExternalTool.Result withModule(String name, String script, String body, String... args)
            throws Exception {
        String code = "import sys, json, importlib.util\n"
                + "spec = importlib.util.spec_from_file_location('" + name + "', sys.argv[1])\n"
                + "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)\n" + body;
        List<String> all = new ArrayList<>(List.of(script));
        all.addAll(List.of(args));
        return python(code, all.toArray(String[]::new));
    }

    /** python3 -c CODE ARGS, or python3 ARGS when code is null; skipped where Python 3 is missing. */
    private static ExternalTool.Result python(String code, String... args) throws Exception {
        Path python = ExternalTool.find("python3", "PYTHON3").orElse(null);
        assumeTrue(python != null, "python3 not installed: skipped");
        List<String> command = new ArrayList<>(List.of(python.toString(), "-B"));
        if (code != null) {
            command.addAll(List.of("-c", code));
        }
        command.addAll(List.of(args));
        return ExternalTool.run(command, 60);
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
