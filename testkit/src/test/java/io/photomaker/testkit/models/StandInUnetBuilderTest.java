package io.photomaker.testkit.models;

import static io.photomaker.testkit.models.OrtTestSupport.assertTensor;
import static io.photomaker.testkit.models.OrtTestSupport.floats;
import static io.photomaker.testkit.models.OrtTestSupport.open;
import static io.photomaker.testkit.models.OrtTestSupport.output;
import static io.photomaker.testkit.models.OrtTestSupport.random;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StandInUnetBuilderTest {

    @TempDir
    Path dir;

    @Test
    void the_stand_in_has_the_sdxl_interface_and_computes_its_formula_at_real_sizes() throws Exception {
        Path file = StandInUnetBuilder.write(dir.resolve("unet/model.onnx"));
        assertArrayEquals(StandInUnetBuilder.modelBytes(), java.nio.file.Files.readAllBytes(file));
        int latent = 2 * 4 * 128 * 128;
        float[] sample = random(1, latent, 1.0);
        float[] hidden = new float[2 * 77 * 2048];
        java.util.Arrays.fill(hidden, 0.25f);
        float[] pooled = new float[2 * 1280];
        java.util.Arrays.fill(pooled, -0.5f);
        float[] timeIds = {1024, 1024, 0, 0, 1024, 1024, 1024, 1024, 0, 0, 1024, 1024};

        try (var unet = open(file);
                var s = floats(sample, 2, 4, 128, 128);
                var t = OnnxTensor.createTensor(OrtTestSupport.ENV, 500f);
                var h = floats(hidden, 2, 77, 2048);
                var p = floats(pooled, 2, 1280);
                var ids = floats(timeIds, 2, 6);
                var result = unet.run(Map.of("sample", s, "timestep", t, "encoder_hidden_states", h,
                        "text_embeds", p, "time_ids", ids))) {
            assertTensor(unet.getInputInfo(), "encoder_hidden_states", OnnxJavaType.FLOAT, -1, 77, 2048);
            assertTensor(unet.getInputInfo(), "text_embeds", OnnxJavaType.FLOAT, -1, 1280);
            assertTensor(unet.getInputInfo(), "timestep", OnnxJavaType.FLOAT);
            float[] out = output(result, "out_sample");
            double timeIdsMean = (1024 * 8) / 12.0;
            double bias = 0.25 - 0.5 + timeIdsMean * 1e-3 + 500 * 1e-4;
            assertEquals(latent, out.length);
            for (int i : new int[] {0, 12345, latent - 1}) {
                assertEquals(sample[i] * 0.5 + bias, out[i], 1e-4);
            }
        }
    }

    @Test
    void the_float16_stand_ins_declare_float32_or_float16_inputs_and_outputs() throws Exception {
        Path inside = StandInUnetBuilder.write(dir.resolve("f16.onnx"), StandInUnetBuilder.Precision.FLOAT16_FLOAT32_IO);
        Path io = StandInUnetBuilder.write(dir.resolve("f16io.onnx"), StandInUnetBuilder.Precision.FLOAT16_IO);
        try (var withFloat32Io = open(inside); var withFloat16Io = open(io)) {
            assertTensor(withFloat32Io.getInputInfo(), "sample", OnnxJavaType.FLOAT, -1, 4, -1, -1);
            assertTensor(withFloat32Io.getOutputInfo(), "out_sample", OnnxJavaType.FLOAT, -1, 4, -1, -1);
            assertTensor(withFloat16Io.getInputInfo(), "sample", OnnxJavaType.FLOAT16, -1, 4, -1, -1);
            assertTensor(withFloat16Io.getOutputInfo(), "out_sample", OnnxJavaType.FLOAT16, -1, 4, -1, -1);
        }
    }
}
