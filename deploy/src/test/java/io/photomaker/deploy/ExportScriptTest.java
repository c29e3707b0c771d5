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
    private static final Map<String, String> CONTRACT = Map.of(
            "text_encoder", "text_encoder/model.onnx",
            "text_encoder_2", "text_encoder_2/model.onnx",
            "id_encoder", "id_encoder/model.onnx",
            "fuse", "fuse/model.onnx",
            "unet", "unet/model.onnx",
            "vae_decoder", "vae_decoder/model.onnx");

    @Test
    void the_export_script_compiles() throws Exception {
        ExternalTool.Result result = python("import sys; compile(open(sys.argv[1]).read(), sys.argv[1], 'exec')", SCRIPT);
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
    void asking_for_v2_explains_what_it_needs_and_fails() throws Exception {
        ExternalTool.Result result = python(null, SCRIPT, "--out", "unused", "--photomaker-version", "v2");
        assertEquals(2, result.exitCode());
        assertTrue(result.output().contains("InsightFace antelopev2"), result.output());
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
