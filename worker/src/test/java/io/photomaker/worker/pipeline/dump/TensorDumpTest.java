package io.photomaker.worker.pipeline.dump;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.photomaker.testkit.models.TinyModelBuilder;
import io.photomaker.worker.onnx.ExecutionConfig;
import io.photomaker.worker.pipeline.GenerationRequest;
import io.photomaker.worker.pipeline.PhotoMakerPipeline;
import io.photomaker.worker.pipeline.noise.NoiseDtype;
import io.photomaker.worker.pipeline.noise.NoiseSpec;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TensorDumpTest {

    private static final int STEPS = 4;
    private static final int OUTPUTS = 2;

    @TempDir
    static Path dir;
    static Path dump;
    static JsonNode calls;
    /** The same generation with one output per UNet call. */
    static Path single;
    static JsonNode singleCalls;

    @BeforeAll
    static void generateWithADump() throws Exception {
        Path models = dir.resolve("models");
        TinyModelBuilder.create().build(models);
        dump = dir.resolve("dump");
        single = dir.resolve("single");
        generate(models, ExecutionConfig.cpu(1), dump);
        generate(models, ExecutionConfig.cpu(1).withUnetBatchLimit(1), single);
        calls = new ObjectMapper().readTree(dump.resolve("calls.json").toFile());
        singleCalls = new ObjectMapper().readTree(single.resolve("calls.json").toFile());
    }

    private static void generate(Path models, ExecutionConfig config, Path into) throws Exception {
        try (var pipeline = PhotoMakerPipeline.load(models, config); var recorder = TensorDump.create(into)) {
            List<float[]> ids = pipeline.encodeIdImages(List.of(photo(1), photo(2)), recorder);
            var request = GenerationRequest.of("a photo of a woman img in the snow", ids).withSize(64, 96)
                    .withSteps(STEPS).withSeed(42).withNumOutputs(OUTPUTS).withStyleStrength(50)
                    .withNoise(NoiseSpec.of("torch_cuda", "float32", io.photomaker.worker.pipeline.noise.CudaGrid.defaults()));
            pipeline.generate(request, null, null, recorder);
        }
    }

    @AfterAll
    static void noLeftovers() {
        calls = null;
        singleCalls = null;
    }

    @Test
    void every_file_loads_in_numpy_with_the_shape_and_dtype_the_model_saw() throws Exception {
        Map<String, NumpyReader.Loaded> loaded = NumpyReader.loadAll(dump).orElseGet(TensorDumpTest::readStrictly);
        long latentH = 96 / TinyModelBuilder.VAE_SCALE_FACTOR;
        long latentW = 64 / TinyModelBuilder.VAE_SCALE_FACTOR;
        assertEquals("<f4", loaded.get("noise.npy").dtype());
        assertArrayEquals(new long[] {OUTPUTS, 4, latentH, latentW}, loaded.get("noise.npy").shape());
        assertArrayEquals(new long[] {OUTPUTS, 4, latentH, latentW}, loaded.get("latents-initial.npy").shape());
        assertArrayEquals(new long[] {OUTPUTS, 4, latentH, latentW}, loaded.get("latents-final.npy").shape());
        assertEquals("|u1", loaded.get("image-1.npy").dtype());
        assertArrayEquals(new long[] {96, 64, 3}, loaded.get("image-1.npy").shape());
        for (JsonNode call : calls.path("calls")) {
            for (String side : List.of("inputs", "outputs")) {
                call.path(side).fields().forEachRemaining(e -> assertTrue(loaded.containsKey(e.getValue().asText()),
                        e.getValue().asText() + " of call " + call.path("index")));
            }
        }
        JsonNode firstUnet = unetCalls(calls).get(0);
        NumpyReader.Loaded sample = loaded.get(firstUnet.path("inputs").path("sample").asText());
        assertArrayEquals(new long[] {2L * OUTPUTS, 4, latentH, latentW}, sample.shape(),
                "both guidance branches of both outputs in one batch");
        NumpyReader.Loaded timestep = loaded.get(firstUnet.path("inputs").path("timestep").asText());
        assertArrayEquals(new long[0], timestep.shape(), "the tiny UNet takes a float scalar timestep");
        assertEquals(calls.path("timesteps").get(0).asDouble(), timestep.sum(), 0.0);
        String ids = calls.path("calls").get(0).path("inputs").path("id_pixel_values").asText();
        assertEquals("<f4", loaded.get(ids).dtype());
        assertArrayEquals(new long[] {2, 3, 224, 224}, loaded.get(ids).shape());
        String tokens = textEncoderCall().path("inputs").path("input_ids").asText();
        assertEquals("<i8", loaded.get(tokens).dtype());
    }

    @Test
    void the_noise_file_holds_the_standard_normal_draw_and_the_latents_its_scaled_copy() throws Exception {
        float[] noise = StrictNpyReader.read(dump.resolve("noise.npy")).floats();
        float[] initial = StrictNpyReader.read(dump.resolve("latents-initial.npy")).floats();
        float sigma = (float) calls.path("init_noise_sigma").asDouble();
        var generator = new io.photomaker.worker.pipeline.noise.TorchCudaGenerator(42,
                io.photomaker.worker.pipeline.noise.CudaGrid.defaults());
        assertArrayEquals(generator.randn(noise.length), noise);
        for (int i = 0; i < noise.length; i++) {
            assertEquals(NoiseDtype.FLOAT32.round(noise[i] * sigma), initial[i], 0f);
        }
    }

    @Test
    void the_recorded_calls_follow_the_denoising_loop() {
        // on the CPU a request's outputs share each UNet call: both are denoised together, then decoded in turn
        assertEquals(List.of("id_images", "prompt:id", "prompt:text_only", "prompt:negative", "denoise[0, 1]",
                "decode:0", "decode:1"), phases(calls));
        List<JsonNode> unet = unetCalls(calls);
        assertEquals(STEPS, unet.size());
        int startMerge = calls.path("start_merge_step").asInt();
        for (int step = 0; step < STEPS; step++) {
            JsonNode call = unet.get(step);
            assertEquals(List.of("0", "1"), strings(call.path("batch")));
            assertStep(calls, call, step, startMerge);
            assertEquals(List.of("unconditional:0", "conditional:0", "unconditional:1", "conditional:1"),
                    rows(call), "rows in the order of the UNet batch");
        }
        assertTrue(calls.path("calls").get(calls.path("calls").size() - 1).path("model").asText().equals("vae_decoder"));
    }

    @Test
    void with_one_output_per_unet_call_each_output_runs_its_loop_then_its_decode() {
        assertEquals(List.of("id_images", "prompt:id", "prompt:text_only", "prompt:negative", "denoise[0]",
                "decode:0", "denoise[1]", "decode:1"), phases(singleCalls));
        List<JsonNode> unet = unetCalls(singleCalls);
        assertEquals(OUTPUTS * STEPS, unet.size());
        int startMerge = singleCalls.path("start_merge_step").asInt();
        for (int k = 0; k < unet.size(); k++) {
            JsonNode call = unet.get(k);
            int output = k / STEPS;
            assertEquals(List.of(String.valueOf(output)), strings(call.path("batch")));
            assertStep(singleCalls, call, k % STEPS, startMerge);
            assertEquals(List.of("unconditional:" + output, "conditional:" + output), rows(call));
        }
    }

    @Test
    void sharing_unet_calls_changes_neither_the_noise_nor_the_initial_latents() throws Exception {
        for (String name : List.of("noise.npy", "latents-initial.npy")) {
            assertArrayEquals(Files.readAllBytes(dump.resolve(name)), Files.readAllBytes(single.resolve(name)), name);
        }
        float[] shared = StrictNpyReader.read(dump.resolve("latents-final.npy")).floats();
        float[] alone = StrictNpyReader.read(single.resolve("latents-final.npy")).floats();
        assertEquals(shared.length, alone.length);
        for (int i = 0; i < shared.length; i++) {
            assertEquals(alone[i], shared[i], 1e-4 * Math.max(1, Math.abs(alone[i])), "value " + i);
        }
    }

    private static void assertStep(JsonNode root, JsonNode call, int step, int startMerge) {
        assertEquals(step, call.path("step").asInt());
        assertEquals(root.path("timesteps").get(step).asDouble(), call.path("timestep").asDouble());
        assertEquals(step <= startMerge ? "text_only" : "id", call.path("conditional_prompt").asText(), "step " + step);
        assertFalse(call.has("output"), "a UNet call names its outputs in batch");
    }

    /** Phases in call order, repeats merged: {@code phase:output} or {@code phase[batch]}. */
    private static List<String> phases(JsonNode calls) {
        List<String> phases = new ArrayList<>();
        for (JsonNode call : calls.path("calls")) {
            String phase = call.path("phase").asText() + (call.has("output") ? ":" + call.path("output").asInt() : "")
                    + (call.has("batch") ? strings(call.path("batch")).toString() : "");
            if (phases.isEmpty() || !phases.get(phases.size() - 1).equals(phase)) {
                phases.add(phase);
            }
        }
        return phases;
    }

    private static List<String> rows(JsonNode call) {
        List<String> out = new ArrayList<>();
        call.path("rows").forEach(r -> out.add(r.path("branch").asText() + ":" + r.path("output").asInt()));
        return out;
    }

    @Test
    void files_are_numbered_in_call_order() throws Exception {
        try (Stream<Path> files = Files.list(dump)) {
            List<String> numbered = files.map(p -> p.getFileName().toString()).filter(n -> n.matches("[0-9]{3}-.*"))
                    .sorted().toList();
            int last = -1;
            for (String name : numbered) {
                int index = Integer.parseInt(name.substring(0, 3));
                assertTrue(index >= last, name);
                String model = calls.path("calls").get(index).path("model").asText();
                assertTrue(name.startsWith(String.format("%03d-%s-", index, model)), name);
                last = index;
            }
            assertEquals(calls.path("calls").size() - 1, last);
        }
    }

    private static List<JsonNode> unetCalls(JsonNode calls) {
        List<JsonNode> out = new ArrayList<>();
        calls.path("calls").forEach(c -> {
            if (c.path("model").asText().equals("unet")) {
                out.add(c);
            }
        });
        return out;
    }

    private static JsonNode textEncoderCall() {
        for (JsonNode c : calls.path("calls")) {
            if (c.path("model").asText().equals("text_encoder")) {
                return c;
            }
        }
        throw new AssertionError("no text encoder call");
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Map<String, NumpyReader.Loaded> readStrictly() {
        Map<String, NumpyReader.Loaded> out = new HashMap<>();
        try (Stream<Path> files = Files.list(dump)) {
            for (Path file : files.filter(p -> p.toString().endsWith(".npy")).toList()) {
                StrictNpyReader.Array a = StrictNpyReader.read(file);
                double sum = a.descr().equals("<f4") ? sum(a.floats()) : Double.NaN;
                out.put(file.getFileName().toString(), new NumpyReader.Loaded(a.descr(), a.shape(), sum));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }

    private static double sum(float[] values) {
        double s = 0;
        for (float v : values) {
            s += v;
        }
        return s;
    }

    private static BufferedImage photo(int seed) {
        var image = new BufferedImage(240, 260, BufferedImage.TYPE_INT_RGB);
        var random = new java.util.Random(seed);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        return image;
    }
}
