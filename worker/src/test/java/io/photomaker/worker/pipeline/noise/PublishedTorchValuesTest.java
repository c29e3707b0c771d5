package io.photomaker.worker.pipeline.noise;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The values torch prints for well-known seeds. The CUDA ones are the eight-decimal values published with the
 * Philox reimplementations (seed 0, shape (3, 4)); they are double-precision results of the formula, so the test
 * checks that formula to every published digit and that our float32 is its correctly rounded value. The CPU ones
 * are torch's own four-decimal printouts.
 */
class PublishedTorchValuesTest {

    private static final double[] CUDA_SEED_0 = {-0.92466259, -0.42534415, -2.6438457, 0.14518388, -0.12086647,
            -0.57972564, -0.62285122, -0.32838709, -1.07454231, -0.36314407, -1.67105067, 2.26550497};

    @Test
    void the_cuda_generator_gives_the_published_values_for_seed_0() {
        var generator = new TorchCudaGenerator(0, CudaGrid.defaults());
        float[] values = generator.randn(12);
        int[] block = new int[4];
        for (int i = 0; i < CUDA_SEED_0.length; i++) {
            Philox4x32.block(0, 0, i, 0, 0, 0, block);
            double exact = TorchCudaGenerator.boxMullerExact(block[0], block[1], 0);
            assertEquals(CUDA_SEED_0[i], exact, 0.5e-8 * Math.max(1, Math.abs(CUDA_SEED_0[i])) + 1e-12, "value " + i);
            assertEquals((float) exact, values[i], 0f, "value " + i + " is the float32 rounding of the formula");
        }
    }

    @Test
    void the_cuda_generator_prints_like_torch_for_seed_42() {
        assertPrints(new TorchCudaGenerator(42, CudaGrid.defaults()).randn(6),
                0.1940, 2.1614, -0.1721, 0.8491, -1.9244, 0.6530);
    }

    @Test
    void the_cpu_generator_prints_like_torch_for_sixteen_values() {
        assertPrints(new TorchCpuGenerator(0).randn(16), -1.1258, -1.1524, -0.2506, -0.4339, 0.8487, 0.6920,
                -0.3160, -2.1152, 0.3223, -1.2633, 0.3500, 0.3081, 0.1198, 1.2377, 1.1168, -0.2473);
    }

    @Test
    void the_cpu_generator_prints_like_torch_below_sixteen_values() {
        assertPrints(new TorchCpuGenerator(0).randn(5), 1.5410, -0.2934, -2.1788, 0.5684, -1.0845);
    }

    @Test
    void the_cpu_generator_keeps_the_second_value_of_a_pair_for_the_next_draw() {
        var generator = new TorchCpuGenerator(0);
        float[] first = generator.randn(3);
        float[] second = generator.randn(2);
        float[] together = new TorchCpuGenerator(0).randn(5);
        assertEquals(together[3], second[0], 0f);
        assertEquals(together[4], second[1], 0f);
        assertEquals(together[2], first[2], 0f);
    }

    private static void assertPrints(float[] values, double... printed) {
        for (int i = 0; i < printed.length; i++) {
            assertEquals(String.format("%.4f", printed[i]), String.format("%.4f", values[i]), "value " + i);
        }
    }
}
