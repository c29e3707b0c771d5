package io.photomaker.worker.pipeline.schedule;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.worker.pipeline.guidance.ClassifierFreeGuidance;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The per-step Java work (guidance combine + Euler step over a 4x128x128 latent) must stay negligible next to a
 * UNet call. The bound is ~50x the measured cost so a busy machine does not fail it; a regression to per-element
 * allocation or boxing would.
 */
class DenoisingStepSpeedTest {

    @Test
    void guidance_and_an_euler_step_over_sdxl_latents_take_well_under_a_millisecond() {
        int n = 4 * 128 * 128;
        float[] batch = new float[2 * n];
        new GaussianNoise(1).fill(batch);
        float[] guided = new float[n];
        float[] latents = new float[n];
        new GaussianNoise(2).fill(latents);
        float[] input = new float[n];
        Scheduler euler = Schedulers.create("euler", SchedulerConfig.sdxl(), 50, null);
        long[] nanos = new long[400];
        for (int round = 0; round < 3000; round++) {
            int i = round % 50;
            long start = System.nanoTime();
            euler.scaleModelInput(latents, i, input);
            ClassifierFreeGuidance.combine(batch, 5f, 0f, guided);
            euler.step(guided, i, latents);
            long elapsed = System.nanoTime() - start;
            if (round >= 3000 - nanos.length) {
                nanos[round - (3000 - nanos.length)] = elapsed;
            }
            if (i == 49) {
                new GaussianNoise(round).fill(latents);
            }
        }
        Arrays.sort(nanos);
        long median = nanos[nanos.length / 2];
        System.out.println("scale + guidance + Euler step over " + n + " floats: median " + median / 1000 + " us");
        assertTrue(median < 1_000_000, "median " + median + " ns");
    }
}
