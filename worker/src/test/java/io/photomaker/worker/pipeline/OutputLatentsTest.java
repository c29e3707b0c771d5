package io.photomaker.worker.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.photomaker.common.model.ModelManifest;
import io.photomaker.worker.pipeline.noise.CudaGrid;
import io.photomaker.worker.pipeline.noise.NoiseDtype;
import io.photomaker.worker.pipeline.noise.NoiseSpec;
import io.photomaker.worker.pipeline.noise.TorchCudaGenerator;
import io.photomaker.worker.pipeline.schedule.EulerAncestralScheduler;
import io.photomaker.worker.pipeline.schedule.SchedulerConfig;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputLatentsTest {

    private static final ModelManifest.Dims DIMS = new ModelManifest.Dims(8, 16, 24, 16, 24, 4, 8, 224, 77);
    private static final int SLICE = 4 * 8 * 12;

    private static GenerationRequest request(String scheduler, String dtype) {
        return GenerationRequest.of("a man img", List.of(new float[24])).withSize(96, 64).withSteps(5).withSeed(21)
                .withNumOutputs(3).withScheduler(scheduler)
                .withNoise(NoiseSpec.of("torch_cuda", dtype, CudaGrid.defaults()));
    }

    @Test
    void the_initial_latents_are_one_draw_for_all_outputs_scaled_and_held_in_the_noise_dtype() {
        var latents = new OutputLatents(request("euler", "bfloat16"), DIMS, SchedulerConfig.sdxl());
        latents.draw(GenerationRecorder.NONE);
        float[] draw = new TorchCudaGenerator(21, CudaGrid.defaults()).randn(3 * SLICE);
        float sigma = latents.scheduler(0).initNoiseSigma();
        for (int output = 0; output < 3; output++) {
            float[] of = latents.of(output);
            for (int k = 0; k < SLICE; k++) {
                float noise = NoiseDtype.BFLOAT16.round(draw[output * SLICE + k]);
                assertEquals(NoiseDtype.BFLOAT16.round(noise * sigma), of[k], 0f, "output " + output + " value " + k);
            }
        }
        assertArrayEquals(new long[] {3, 4, 8, 12}, latents.shape());
    }

    @Test
    void the_ancestral_sampler_of_output_i_adds_slice_i_of_the_next_draws() {
        var latents = new OutputLatents(request("euler_a", "float32"), DIMS, SchedulerConfig.sdxl());
        latents.draw(GenerationRecorder.NONE);
        var generator = new TorchCudaGenerator(21, CudaGrid.defaults());
        generator.randn(3 * SLICE); // the initial latents
        float[][] stepDraws = {generator.randn(3 * SLICE), generator.randn(3 * SLICE)};
        for (int output = 2; output >= 0; output--) {
            var scheduler = (EulerAncestralScheduler) latents.scheduler(output);
            float[] sample = latents.of(output).clone();
            for (int step = 0; step < 2; step++) {
                float[] before = sample.clone();
                // a model predicting no noise: the deterministic part leaves the sample as it is
                scheduler.step(new float[SLICE], step, sample);
                float up = scheduler.sigmaUp(step);
                float[] expected = new float[SLICE];
                for (int k = 0; k < SLICE; k++) {
                    expected[k] = before[k] + stepDraws[step][output * SLICE + k] * up;
                }
                assertArrayEquals(expected, sample, 1e-5f, "output " + output + " step " + step);
            }
        }
    }

    @Test
    void outputs_are_different_slices() {
        var latents = new OutputLatents(request("euler", "float32"), DIMS, SchedulerConfig.sdxl());
        latents.draw(GenerationRecorder.NONE);
        assertEquals(false, Arrays.equals(latents.of(0), latents.of(1)));
    }
}
