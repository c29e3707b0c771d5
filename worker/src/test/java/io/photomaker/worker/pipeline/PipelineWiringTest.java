package io.photomaker.worker.pipeline;

import static io.photomaker.worker.pipeline.PipelineFixtures.photo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import io.photomaker.common.prompt.StyleTemplates;
import io.photomaker.testkit.models.TinyModelBuilder;
import io.photomaker.worker.onnx.ExecutionConfig;
import io.photomaker.worker.pipeline.prompt.PromptTokens;
import io.photomaker.worker.pipeline.schedule.EulerDiscreteScheduler;
import io.photomaker.worker.pipeline.schedule.SchedulerConfig;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The numeric wiring of the pipeline, checked from the tensors the models actually receive: which prompt each
 * guidance branch carries, the guidance formula between one step's UNet output and the next step's input, the
 * step at which the identity comes in, and which class-token copy each photo's embedding lands in. Every
 * expectation is computed here from the definitions, not by calling the code under test.
 */
class PipelineWiringTest {

    private static final int STEPS = 10;
    private static final double STYLE_STRENGTH = 35;
    private static final float GUIDANCE = 7.5f;
    private static final float RESCALE = 0.7f;
    private static final String PROMPT = "a photo of a woman img in the rain";
    private static final String NEGATIVE = "blurry, cartoon";

    @TempDir
    static Path dir;
    static PhotoMakerPipeline pipeline;
    static List<float[]> embeddings;
    static PromptConditioning expected;
    static PromptTokens tokens;
    static List<Call> unet;
    static List<Call> fuse;

    /** One model call as the model saw it: every input and output, as floats. */
    record Call(String note, Map<String, float[]> inputs, Map<String, float[]> outputs) {
    }

    @BeforeAll
    static void generate() throws Exception {
        TinyModelBuilder.create().build(dir);
        pipeline = PhotoMakerPipeline.load(dir, ExecutionConfig.cpu(1));
        embeddings = pipeline.encodeIdImages(List.of(photo(11, 240, 260), photo(12, 250, 250)));
        assertNotEquals(Arrays.toString(embeddings.get(0)), Arrays.toString(embeddings.get(1)));
        StyleTemplates.StyledPrompt styled = StyleTemplates.apply("(No style)", PROMPT, NEGATIVE);
        tokens = pipeline.promptTokenizer().tokenize(styled.prompt(), styled.negativePrompt(), embeddings.size());
        expected = pipeline.promptEncoder().encodeAll(tokens, embeddings);
        List<Call> calls = new ArrayList<>();
        GenerationRecorder recorder = new GenerationRecorder() {
            @Override
            public void onRun(String model, String note, Map<String, ? extends OnnxValue> in,
                    Map<String, ? extends OnnxValue> out) {
                if (model.equals("unet") || model.equals("fuse")) {
                    calls.add(new Call(model + ":" + note, floats(in), floats(out)));
                }
            }
        };
        var request = GenerationRequest.of(PROMPT, embeddings).withPrompts(PROMPT, NEGATIVE, "(No style)")
                .withSize(64, 64).withSteps(STEPS).withSeed(3).withNumOutputs(1).withStyleStrength(STYLE_STRENGTH)
                .withGuidance(GUIDANCE, RESCALE).withScheduler("euler");
        pipeline.generate(request, null, null, recorder);
        unet = calls.stream().filter(c -> c.note().startsWith("unet")).toList();
        fuse = calls.stream().filter(c -> c.note().startsWith("fuse")).toList();
    }

    @AfterAll
    static void close() {
        pipeline.close();
    }

    @Test
    void the_unconditional_row_carries_the_negative_prompt_and_the_conditional_row_the_prompt() {
        assertEquals(STEPS, unet.size());
        int rows = TinyModelBuilder.MAX_TOKENS * TinyModelBuilder.PROMPT_DIM;
        for (int i = 0; i < STEPS; i++) {
            Call call = unet.get(i);
            assertEquals("unet:unconditional:0,conditional:0", call.note(),
                    "output 0's two branches, unconditional first");
            float[] hidden = call.inputs().get("encoder_hidden_states");
            float[] pooled = call.inputs().get("text_embeds");
            assertArrayEquals(expected.negativePrompt(), Arrays.copyOfRange(hidden, 0, rows), "step " + i);
            assertArrayEquals(expected.negativePooled(), Arrays.copyOfRange(pooled, 0, TinyModelBuilder.POOLED_DIM));
            boolean id = i > 3; // int(35 / 100 * 10) = 3: steps 0..3 use the text-only prompt, as the reference's i <= 3
            assertArrayEquals(id ? expected.idPrompt() : expected.textOnlyPrompt(),
                    Arrays.copyOfRange(hidden, rows, 2 * rows), "conditional prompt at step " + i);
            assertArrayEquals(id ? expected.idPooled() : expected.textOnlyPooled(),
                    Arrays.copyOfRange(pooled, TinyModelBuilder.POOLED_DIM, 2 * TinyModelBuilder.POOLED_DIM));
        }
    }

    @Test
    void each_step_applies_guidance_with_its_scale_and_rescale_to_the_right_branches() {
        var euler = new EulerDiscreteScheduler(SchedulerConfig.sdxl());
        euler.setTimesteps(STEPS);
        int size = unet.get(0).inputs().get("sample").length / 2;
        for (int i = 0; i + 1 < STEPS; i++) {
            float[] in = unet.get(i).inputs().get("sample");
            float[] out = unet.get(i).outputs().get("out_sample");
            float[] next = unet.get(i + 1).inputs().get("sample");
            double[] uncond = slice(out, 0, size);
            double[] cond = slice(out, size, size);
            double[] eps = guided(uncond, cond, GUIDANCE, RESCALE);
            double sigma = euler.sigma(i);
            double sigmaNext = euler.sigma(i + 1);
            for (int k = 0; k < size; k++) {
                double x = in[k] * Math.sqrt(sigma * sigma + 1);
                double expectedNext = (x + eps[k] * (sigmaNext - sigma)) / Math.sqrt(sigmaNext * sigmaNext + 1);
                assertEquals(expectedNext, next[k], 1e-4 * Math.max(1, Math.abs(expectedNext)), "step " + i + " value " + k);
                assertEquals(in[k], in[size + k], 0f, "both branches see the same latents");
            }
            assertEquals(euler.timestep(i), unet.get(i).inputs().get("timestep")[0], 0f);
        }
    }

    @Test
    void image_i_embedding_is_fused_into_class_token_copy_i() {
        assertEquals(1, fuse.size());
        int dim = TinyModelBuilder.PROMPT_DIM;
        float[] idRows = fuse.get(0).inputs().get("id_embeds");
        float[] fused = fuse.get(0).outputs().get("fused_embeds");
        float[] conditional = unet.get(STEPS - 1).inputs().get("encoder_hidden_states");
        int base = TinyModelBuilder.MAX_TOKENS * dim; // the conditional row of the batch
        assertEquals(embeddings.size(), tokens.classTokenCount());
        for (int image = 0; image < embeddings.size(); image++) {
            int row = rowHolding(idRows, embeddings.get(image), dim);
            int position = tokens.classTokenIndex() + image;
            assertArrayEquals(Arrays.copyOfRange(fused, row * dim, (row + 1) * dim),
                    Arrays.copyOfRange(conditional, base + position * dim, base + (position + 1) * dim),
                    "image " + image + " in class-token copy " + image);
        }
        float[] textOnly = expected.textOnlyPrompt();
        assertTrue(!Arrays.equals(Arrays.copyOfRange(conditional, base, base + textOnly.length), textOnly));
    }

    /** diffusers: eps = u + g (c - u); rescaled = eps * std(c) / std(eps); eps = r rescaled + (1 - r) eps. */
    private static double[] guided(double[] uncond, double[] cond, double scale, double rescale) {
        double[] eps = new double[uncond.length];
        for (int k = 0; k < eps.length; k++) {
            eps[k] = uncond[k] + scale * (cond[k] - uncond[k]);
        }
        double ratio = std(cond) / std(eps);
        for (int k = 0; k < eps.length; k++) {
            eps[k] = rescale * eps[k] * ratio + (1 - rescale) * eps[k];
        }
        return eps;
    }

    private static double std(double[] v) {
        double mean = Arrays.stream(v).average().orElse(0);
        return Math.sqrt(Arrays.stream(v).map(x -> (x - mean) * (x - mean)).sum() / (v.length - 1));
    }

    private static int rowHolding(float[] rows, float[] values, int dim) {
        for (int r = 0; r * dim < rows.length; r++) {
            if (Arrays.equals(Arrays.copyOfRange(rows, r * dim, (r + 1) * dim), values)) {
                return r;
            }
        }
        throw new AssertionError("no fuse row holds the embedding");
    }

    private static double[] slice(float[] v, int from, int length) {
        double[] out = new double[length];
        for (int k = 0; k < length; k++) {
            out[k] = v[from + k];
        }
        return out;
    }

    private static Map<String, float[]> floats(Map<String, ? extends OnnxValue> values) {
        Map<String, float[]> out = new HashMap<>();
        values.forEach((name, value) -> {
            OnnxTensor tensor = (OnnxTensor) value;
            FloatBuffer buffer = tensor.getFloatBuffer();
            float[] copy = new float[buffer.remaining()];
            buffer.get(copy);
            out.put(name, copy);
        });
        return out;
    }
}
