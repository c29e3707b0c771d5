package io.photomaker.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
    void the_base_vae_is_exported_in_float32_and_the_fp16_fixed_one_in_float16() throws Exception {
        assertEquals("float16", layout().at("/models/vae_decoder/dtype").asText());
        assertEquals("float32", layout("--vae", "base").at("/models/vae_decoder/dtype").asText());
        assertEquals("float16", layout("--vae", "base").at("/models/unet/dtype").asText());
    }

    @Test
    void the_manifest_records_the_sha256_of_every_model_and_every_file(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("unet"));
        Files.writeString(dir.resolve("unet/model.onnx"), "graph");
        Files.writeString(dir.resolve("unet/model.onnx_data"), "weights");
        String code = "import sys, importlib.util\n"
                + "spec = importlib.util.spec_from_file_location('export', sys.argv[1])\n"
                + "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)\n"
                + "m.write_manifest(sys.argv[2], {'models': {'unet': {'path': 'unet/model.onnx'}}})\n";
        ExternalTool.Result result = python(code, SCRIPT, dir.toString());
        assertEquals(0, result.exitCode(), result.output());
        JsonNode manifest = YamlDocs.readJson(dir.resolve("manifest.json"));
        assertEquals(sha256("graph"), manifest.at("/models/unet/sha256").asText());
        assertEquals(sha256("graph"), manifest.at("/files/unet~1model.onnx").asText());
        assertEquals(sha256("weights"), manifest.at("/files/unet~1model.onnx_data").asText());
    }

    @Test
    void float16_weights_get_float32_inputs_and_outputs_unless_asked_otherwise() throws Exception {
        String code = "import sys, importlib.util\n"
                + "spec = importlib.util.spec_from_file_location('export', sys.argv[1])\n"
                + "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)\n"
                + "a = m.parse_args(['--out', 'x'])\n"
                + "n = m.parse_args(['--out', 'x', '--io-dtype', 'native'])\n"
                + "print(m.float32_io(a, 'float16'), m.float32_io(a, 'float32'), m.float32_io(n, 'float16'))\n";
        ExternalTool.Result result = python(code, SCRIPT);
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
        String code = "import sys, importlib.util\n"
                + "spec = importlib.util.spec_from_file_location('export_v2', sys.argv[1])\n"
                + "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)\n"
                + "m.find_face_models(sys.argv[2])\n";
        ExternalTool.Result result = python(code, V2_SCRIPT, "/nonexistent/buffalo_l");
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
