package io.photomaker.worker.pipeline.noise;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class JobNoiseTest {

    private static final int OUTPUTS = 3;
    private static final int SLICE = 4 * 8 * 8;

    @Test
    void output_i_is_slice_i_of_one_draw_for_all_outputs() {
        var generator = new TorchCudaGenerator(5, CudaGrid.defaults());
        float[] first = generator.randn(OUTPUTS * SLICE);
        float[] second = generator.randn(OUTPUTS * SLICE);
        JobNoise noise = JobNoise.create(JobNoise.TORCH_CUDA, 5, NoiseDtype.FLOAT32, CudaGrid.defaults(), OUTPUTS, SLICE);
        for (int output = OUTPUTS - 1; output >= 0; output--) {
            assertArrayEquals(slice(second, output), fill(noise, 1, output));
            assertArrayEquals(slice(first, output), fill(noise, 0, output));
        }
    }

    @Test
    void cpu_draws_come_out_the_same_in_any_order() {
        var generator = new TorchCpuGenerator(9);
        float[][] draws = {generator.randn(OUTPUTS * SLICE), generator.randn(OUTPUTS * SLICE), generator.randn(OUTPUTS * SLICE)};
        JobNoise noise = JobNoise.create(JobNoise.TORCH_CPU, 9, NoiseDtype.FLOAT32, CudaGrid.defaults(), OUTPUTS, SLICE);
        for (int output = 0; output < OUTPUTS; output++) {
            for (int draw = 2; draw >= 0; draw--) {
                assertArrayEquals(slice(draws[draw], output), fill(noise, draw, output));
            }
        }
        assertArrayEquals(draws[1], noise.draw(1));
    }

    @Test
    void half_precision_draws_are_the_float32_draw_rounded() {
        JobNoise exact = JobNoise.create(JobNoise.TORCH_CUDA, 3, NoiseDtype.FLOAT32, CudaGrid.defaults(), 1, SLICE);
        JobNoise bf16 = JobNoise.create(JobNoise.TORCH_CUDA, 3, NoiseDtype.BFLOAT16, CudaGrid.defaults(), 1, SLICE);
        float[] values = fill(exact, 0, 0);
        float[] rounded = fill(bf16, 0, 0);
        for (int i = 0; i < SLICE; i++) {
            assertEquals(NoiseDtype.BFLOAT16.round(values[i]), rounded[i], 0f);
            assertEquals(0, Float.floatToRawIntBits(rounded[i]) & 0xFFFF, "bfloat16 keeps 8 significant bits");
        }
        assertTrue(!Arrays.equals(values, rounded));
    }

    @Test
    void a_cpu_draw_in_half_precision_and_unknown_generators_are_refused() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> JobNoise.create(JobNoise.TORCH_CPU, 1, NoiseDtype.BFLOAT16, CudaGrid.defaults(), 1, SLICE));
        assertTrue(e.getMessage().contains("float32"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> JobNoise.create("numpy", 1, NoiseDtype.FLOAT32, CudaGrid.defaults(), 1, SLICE));
        assertTrue(e.getMessage().contains("torch_cuda, torch_cpu"), e.getMessage());
    }

    private static float[] fill(JobNoise noise, int draw, int output) {
        float[] out = new float[SLICE];
        noise.fill(draw, output, out);
        return out;
    }

    private static float[] slice(float[] draw, int output) {
        return Arrays.copyOfRange(draw, output * SLICE, (output + 1) * SLICE);
    }
}
