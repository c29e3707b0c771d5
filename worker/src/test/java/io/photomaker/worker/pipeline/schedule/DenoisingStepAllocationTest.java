package io.photomaker.worker.pipeline.schedule;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.worker.pipeline.guidance.ClassifierFreeGuidance;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The per-step Java work of the denoising loop (input scaling, guidance combine, Euler step over SDXL
 * latents) works in the caller's arrays: a step allocates nothing per element. Its time is measured by
 * {@code ./photomaker bench steps} ({@code java_side_median_ms=}).
 */
class DenoisingStepAllocationTest {
    private static final int N = 4 * 128 * 128;

    @Test
    void scaling_guidance_and_an_euler_step_over_sdxl_latents_allocate_nothing_per_element() {
        com.sun.management.ThreadMXBean threads = threadBean();
        float[] batch = new float[2 * N];
        new GaussianNoise(1).fill(batch);
        float[] guided = new float[N];
        float[] latents = new float[N];
        new GaussianNoise(2).fill(latents);
        float[] input = new float[N];
        Scheduler euler = Schedulers.create("euler", SchedulerConfig.sdxl(), 50, null);
        steps(euler, batch, guided, latents, input, 50);

        long before = threads.getCurrentThreadAllocatedBytes();
        steps(euler, batch, guided, latents, input, 50);
        long perStep = (threads.getCurrentThreadAllocatedBytes() - before) / 50;

        // One boxed or temporary value per latent element would be >= 16 bytes x 65,536 per step.
        assertTrue(perStep < N, "a step allocated " + perStep + " bytes");
    }

    private static void steps(Scheduler euler, float[] batch, float[] guided, float[] latents, float[] input, int n) {
        for (int i = 0; i < n; i++) {
            euler.scaleModelInput(latents, i, input);
            ClassifierFreeGuidance.combine(batch, 5f, 0f, guided);
            euler.step(guided, i, latents);
        }
    }

    private static com.sun.management.ThreadMXBean threadBean() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        Assumptions.assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "no per-thread allocation counter");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) bean;
        Assumptions.assumeTrue(threads.isThreadAllocatedMemorySupported(), "no per-thread allocation counter");
        threads.setThreadAllocatedMemoryEnabled(true);
        return threads;
    }
}
