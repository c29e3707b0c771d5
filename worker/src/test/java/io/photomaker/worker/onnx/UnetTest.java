package io.photomaker.worker.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.photomaker.common.errors.ErrorType;
import io.photomaker.common.model.ModelManifest;
import io.photomaker.common.model.ModelRole;
import io.photomaker.testkit.models.TinyModelBuilder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnetTest {

    private static final int H = 6;
    private static final int W = 5;
    private static final int SIZE = 4 * H * W;
    private static final int HIDDEN = 77 * TinyModelBuilder.PROMPT_DIM;
    private static final int POOLED = TinyModelBuilder.POOLED_DIM;

    @TempDir
    static Path dir;
    private static SessionFactory sessions;
    private static ModelManifest manifest;

    private final float[] hiddenUncond = random(1, HIDDEN);
    private final float[] hiddenCond = random(2, HIDDEN);
    private final float[] pooledUncond = random(3, POOLED);
    private final float[] pooledCond = random(4, POOLED);
    private final float[] timeIds = {48, 40, 0, 0, 48, 40};

    @BeforeAll
    static void buildModels() throws Exception {
        manifest = TinyModelBuilder.create().build(dir.resolve("dynamic"));
        TinyModelBuilder.create().fixedBatchOfOne(true).build(dir.resolve("fixed"));
        TinyModelBuilder.create().int64Timestep(true).build(dir.resolve("int64"));
        TinyModelBuilder.create().float16(true).build(dir.resolve("fp16"));
        sessions = SessionFactory.create(ExecutionConfig.cpu(1));
    }

    private static float[] random(long seed, int n) {
        var random = new Random(seed);
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = (float) random.nextGaussian();
        }
        return values;
    }

    private static Unet open(String variant) {
        return new Unet(sessions, dir.resolve(variant).resolve("unet/model.onnx"), manifest.dims());
    }

    private void condition(Unet unet, boolean guided) {
        unet.prepare(H, W, guided);
        if (guided) {
            unet.setBranch(Unet.Branch.UNCONDITIONAL, hiddenUncond, pooledUncond, timeIds);
        }
        unet.setBranch(Unet.Branch.CONDITIONAL, hiddenCond, pooledCond, timeIds);
    }

    /** The same computation with freshly built heap tensors and a plain session run. */
    private float[] reference(float[] latent, float t) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        float[] sample = new float[2 * SIZE];
        System.arraycopy(latent, 0, sample, 0, SIZE);
        System.arraycopy(latent, 0, sample, SIZE, SIZE);
        float[] hidden = concat(hiddenUncond, hiddenCond);
        float[] pooled = concat(pooledUncond, pooledCond);
        try (var session = env.createSession(dir.resolve("dynamic/unet/model.onnx").toString(), new OrtSession.SessionOptions());
                var s = OnnxTensor.createTensor(env, FloatBuffer.wrap(sample), new long[] {2, 4, H, W});
                var ts = OnnxTensor.createTensor(env, t);
                var h = OnnxTensor.createTensor(env, FloatBuffer.wrap(hidden), new long[] {2, 77, TinyModelBuilder.PROMPT_DIM});
                var p = OnnxTensor.createTensor(env, FloatBuffer.wrap(pooled), new long[] {2, POOLED});
                var ids = OnnxTensor.createTensor(env, FloatBuffer.wrap(concat(timeIds, timeIds)), new long[] {2, 6});
                var result = session.run(Map.of("sample", s, "timestep", ts, "encoder_hidden_states", h,
                        "text_embeds", p, "time_ids", ids))) {
            FloatBuffer out = ((OnnxTensor) result.get(0)).getFloatBuffer();
            float[] values = new float[out.remaining()];
            out.get(values);
            return values;
        }
    }

    private static float[] concat(float[] a, float[] b) {
        float[] both = new float[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    private static double maxDifference(float[] a, float[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    @Test
    void reused_buffers_give_the_same_predictions_as_fresh_tensors_step_after_step() throws Exception {
        try (Unet unet = open("dynamic")) {
            condition(unet, true);
            float[] uncond = new float[SIZE];
            float[] cond = new float[SIZE];
            for (int step = 0; step < 3; step++) {
                float[] latent = random(10 + step, SIZE);
                float t = 981 - 300 * step;
                unet.predict(latent, t, uncond, cond);

                float[] expected = reference(latent, t);
                assertArrayEquals(java.util.Arrays.copyOfRange(expected, 0, SIZE), uncond, 1e-6f);
                assertArrayEquals(java.util.Arrays.copyOfRange(expected, SIZE, 2 * SIZE), cond, 1e-6f);
            }
            assertTrue(unet.batchesBranchesTogether());
            assertEquals(3, unet.predictionCount());
            assertEquals(3, unet.sessionRunCount());
        }
    }

    @Test
    void a_fixed_batch_of_one_export_runs_each_branch_separately_with_the_same_result() {
        float[] latent = random(20, SIZE);
        float[][] dynamic = {new float[SIZE], new float[SIZE]};
        float[][] fixed = {new float[SIZE], new float[SIZE]};
        try (Unet a = open("dynamic"); Unet b = open("fixed")) {
            condition(a, true);
            condition(b, true);
            a.predict(latent, 500, dynamic[0], dynamic[1]);
            b.predict(latent, 500, fixed[0], fixed[1]);

            assertTrue(!b.batchesBranchesTogether());
            assertEquals(2, b.sessionRunCount());
            assertEquals(1, b.predictionCount());
        }
        assertArrayEquals(dynamic[0], fixed[0], 1e-5f);
        assertArrayEquals(dynamic[1], fixed[1], 1e-5f);
        assertTrue(maxDifference(dynamic[0], dynamic[1]) > 1e-4, "branches must differ");
    }

    @Test
    void an_int64_timestep_export_is_driven_with_one_timestep_per_row() {
        float[] latent = random(21, SIZE);
        float[] early = new float[SIZE];
        float[] late = new float[SIZE];
        float[] ignored = new float[SIZE];
        try (Unet unet = open("int64")) {
            assertEquals(ElementType.INT64, unet.input("timestep").type());
            condition(unet, true);
            unet.predict(latent, 981, ignored, early);
            unet.predict(latent, 1, ignored, late);
        }
        assertTrue(maxDifference(early, late) > 1e-4, "timestep must reach the model");
    }

    @Test
    void a_float16_export_gives_predictions_close_to_float32() {
        float[] latent = random(22, SIZE);
        float[][] f32 = {new float[SIZE], new float[SIZE]};
        float[][] f16 = {new float[SIZE], new float[SIZE]};
        try (Unet a = open("dynamic"); Unet b = open("fp16")) {
            assertEquals(ElementType.FLOAT16, b.input("sample").type());
            condition(a, true);
            condition(b, true);
            a.predict(latent, 700, f32[0], f32[1]);
            b.predict(latent, 700, f16[0], f16[1]);
        }
        assertTrue(maxDifference(f32[1], f16[1]) < 0.02, "difference " + maxDifference(f32[1], f16[1]));
        assertTrue(maxDifference(f32[0], f16[0]) < 0.02, "difference " + maxDifference(f32[0], f16[0]));
    }

    @Test
    void without_guidance_only_the_conditional_branch_runs() {
        float[] latent = random(23, SIZE);
        float[] guidedCond = new float[SIZE];
        float[] cond = new float[SIZE];
        try (Unet unet = open("dynamic")) {
            condition(unet, true);
            unet.predict(latent, 400, new float[SIZE], guidedCond);
            condition(unet, false);
            unet.predict(latent, 400, null, cond);
            assertEquals(2, unet.sessionRunCount());
        }
        assertArrayEquals(guidedCond, cond, 1e-6f);
    }

    @Test
    void a_unet_with_other_widths_than_the_manifest_fails_at_load_naming_file_and_input() {
        Path path = dir.resolve("dynamic/unet/model.onnx");

        var e = assertThrows(ModelException.class, () -> new Unet(sessions, path, 4, 77, 2048, POOLED));

        assertEquals(ErrorType.MODEL_INTERFACE_MISMATCH.wireName(), e.type());
        assertTrue(e.getMessage().contains(path.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("encoder_hidden_states"), e.getMessage());
    }

    @Test
    void predicting_before_prepare_or_with_a_wrong_latent_size_is_refused() {
        try (Unet unet = open("dynamic")) {
            assertThrows(IllegalStateException.class, () -> unet.predict(new float[SIZE], 1, new float[SIZE], new float[SIZE]));
            condition(unet, true);
            var e = assertThrows(IllegalArgumentException.class,
                    () -> unet.predict(new float[SIZE + 1], 1, new float[SIZE], new float[SIZE]));
            assertTrue(e.getMessage().contains("latent input"), e.getMessage());
        }
    }
}
