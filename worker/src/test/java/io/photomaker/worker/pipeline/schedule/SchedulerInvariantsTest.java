package io.photomaker.worker.pipeline.schedule;

import io.photomaker.common.job.SchedulerName;
import java.util.Arrays;
import java.util.function.IntToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-checked facts about the SDXL schedules and properties every scheduler must have. */
class SchedulerInvariantsTest {

    private static final SchedulerConfig SDXL = SchedulerConfig.sdxl();

    @Test
    void fifty_leading_steps_run_from_981_down_to_1_in_steps_of_20() {
        Scheduler euler = Schedulers.create("euler", SDXL, 50, null);
        assertEquals(50, euler.stepCount());
        for (int i = 0; i < 50; i++) {
            assertEquals(981 - 20 * i, euler.timestep(i), "timestep " + i);
        }
    }

    @Test
    void sdxl_noise_levels_match_the_published_figures() {
        EulerDiscreteScheduler euler = new EulerDiscreteScheduler(SDXL);
        euler.setTimesteps(50);
        assertEquals(13.12, euler.sigma(0), 0.005, "sigma at t=981");
        assertEquals(13.16, euler.initNoiseSigma(), 0.005, "init noise sigma sqrt(13.12^2 + 1)");
        DpmSolverMultistepKarrasScheduler karras = new DpmSolverMultistepKarrasScheduler(SDXL);
        karras.setTimesteps(25);
        assertEquals(14.61, karras.sigma(0), 0.005, "Karras schedules start at the sigma of t=999");
        assertEquals(999, karras.timestep(0));
        EulerDiscreteScheduler trailing = new EulerDiscreteScheduler(SDXL.withTimestepSpacing("trailing"));
        trailing.setTimesteps(30);
        assertEquals(999, trailing.timestep(0));
        assertEquals(14.61, trailing.initNoiseSigma(), 0.005, "trailing spacing starts at t=999, no +1");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"euler:leading", "euler:trailing", "euler:linspace", "euler_a:leading", "karras:leading"})
    void sigmas_fall_strictly_and_end_at_zero(String variant) {
        String[] parts = variant.split(":");
        for (int steps : new int[] {1, 2, 20, 37, 50, 100}) {
            SchedulerConfig config = SDXL.withTimestepSpacing(parts[1]);
            IntToDoubleFunction sigma = switch (parts[0]) {
                case "euler" -> sigmasAfterSetting(new EulerDiscreteScheduler(config), steps);
                case "euler_a" -> sigmasAfterSetting(new EulerAncestralScheduler(config, new GaussianNoise(1)), steps);
                default -> sigmasAfterSetting(new DpmSolverMultistepKarrasScheduler(config), steps);
            };
            for (int i = 0; i < steps; i++) {
                assertTrue(sigma.applyAsDouble(i) > sigma.applyAsDouble(i + 1),
                        variant + " " + steps + " steps: sigma " + i + " must exceed sigma " + (i + 1));
            }
            assertEquals(0.0, sigma.applyAsDouble(steps), variant + " final sigma");
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"euler", "euler_a", "dpmpp_2m_karras"})
    void a_denoiser_that_knows_the_clean_latents_leads_every_sampler_to_them(String name) {
        float[] clean = {0.5f, -1.25f, 2f, 0f, -0.3f, 1.1f, 0.7f, -2.2f};
        GaussianNoise noise = new GaussianNoise(7);
        Scheduler scheduler = Schedulers.create(name, SDXL, 20, noise);
        float[] sample = new float[clean.length];
        scheduler.initLatents(gaussian(8, sample.length), sample);
        // make the start consistent with the clean latents: x = clean + sigma * n (VE) or alpha*clean + s*n (VP)
        boolean variancePreserving = name.startsWith("dpmpp");
        float[] eps = new float[clean.length];
        float[] input = new float[clean.length];
        for (int i = 0; i < scheduler.stepCount(); i++) {
            double sigma = sigmaOf(scheduler, i);
            double alpha = variancePreserving ? 1 / Math.sqrt(sigma * sigma + 1) : 1;
            double noiseScale = variancePreserving ? sigma * alpha : sigma;
            if (i == 0) {
                for (int k = 0; k < clean.length; k++) {
                    sample[k] = (float) (alpha * clean[k] + noiseScale * sample[k] / scheduler.initNoiseSigma());
                }
            }
            scheduler.scaleModelInput(sample, i, input);
            for (int k = 0; k < clean.length; k++) {
                eps[k] = (float) ((sample[k] - alpha * clean[k]) / noiseScale);
            }
            scheduler.step(eps, i, sample);
        }
        assertArrayEquals(clean, sample, 1e-4f, name + " must land on the clean latents");
    }

    @Test
    void ddim_given_the_exact_noise_of_known_latents_stays_on_their_forward_process() {
        float[] clean = {0.5f, -1.25f, 2f, 0f};
        float[] noise = {1.1f, -0.4f, 0.3f, -2f};
        DdimScheduler ddim = new DdimScheduler(SDXL);
        ddim.setTimesteps(25);
        TrainingSchedule training = new TrainingSchedule(SDXL);
        float[] sample = forward(clean, noise, ddim.alphaCumprod(0));
        for (int i = 0; i < 25; i++) {
            ddim.step(noise, i, sample);
            int previous = (int) ddim.timestep(i) - 1000 / 25;
            float nextAlpha = training.alphasCumprod[Math.max(previous, 0)];
            assertArrayEquals(forward(clean, noise, nextAlpha), sample, 1e-5f, "after step " + i);
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"euler", "ddim", "euler_a", "dpmpp_2m_karras"})
    void the_same_seed_gives_bit_identical_runs(String name) {
        assertArrayEquals(run(name, 11), run(name, 11));
    }

    @Test
    void the_ancestral_sampler_depends_on_its_seed_and_the_deterministic_ones_do_not() {
        assertFalse(Arrays.equals(run("euler_a", 1), run("euler_a", 2)));
        assertArrayEquals(run("euler", 1), run("euler", 2));
        assertArrayEquals(run("dpmpp_2m_karras", 1), run("dpmpp_2m_karras", 2));
    }

    @Test
    void the_multistep_solver_refuses_steps_out_of_order_until_reset() {
        Scheduler dpm = Schedulers.create("dpmpp_2m_karras", SDXL, 10, null);
        float[] sample = {1f, 2f};
        dpm.step(new float[] {0.1f, 0.2f}, 0, sample);
        assertThrows(IllegalStateException.class, () -> dpm.step(new float[] {0.1f, 0.2f}, 2, sample));
        dpm.setTimesteps(10);
        dpm.step(new float[] {0.1f, 0.2f}, 0, sample);
        assertTrue(Float.isFinite(sample[0]));
    }

    @Test
    void step_indices_outside_the_schedule_are_rejected() {
        for (String name : SchedulerName.wireNames()) {
            Scheduler scheduler = Schedulers.create(name, SDXL, 5, new GaussianNoise(1));
            assertThrows(IndexOutOfBoundsException.class, () -> scheduler.timestep(5), name);
            assertThrows(IndexOutOfBoundsException.class, () -> scheduler.step(new float[1], -1, new float[1]), name);
        }
    }

    @ParameterizedTest(name = "{0} steps")
    @CsvSource({"0", "1001"})
    void impossible_step_counts_are_rejected(int steps) {
        for (String name : SchedulerName.wireNames()) {
            assertThrows(IllegalArgumentException.class, () -> Schedulers.create(name, SDXL, steps, new GaussianNoise(1)));
        }
    }

    @Test
    void leading_spacing_refuses_step_counts_that_would_pass_the_last_training_timestep() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Schedulers.create("euler", SDXL, 1000, null));
        assertTrue(error.getMessage().contains("leading"), error.getMessage());
    }

    @Test
    void unknown_scheduler_names_are_refused_with_the_valid_names() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Schedulers.create("heun", SDXL, 20, null));
        for (String name : SchedulerName.wireNames()) {
            assertTrue(error.getMessage().contains(name), error.getMessage());
        }
        assertEquals("euler", SchedulerName.DEFAULT.wireName());
    }

    @Test
    void each_scheduler_reports_the_name_it_was_created_by() {
        for (String name : SchedulerName.wireNames()) {
            assertEquals(name, Schedulers.create(name, SDXL, 4, new GaussianNoise(3)).name());
        }
    }

    @Test
    void scaling_the_model_input_may_write_over_the_sample() {
        Scheduler euler = Schedulers.create("euler", SDXL, 50, null);
        float[] sample = {13.158469f, -26.316938f};
        euler.scaleModelInput(sample, 0, sample);
        assertArrayEquals(new float[] {1f, -2f}, sample, 1e-5f);
    }

    private static float[] run(String name, long seed) {
        GaussianNoise noise = new GaussianNoise(seed);
        Scheduler scheduler = Schedulers.create(name, SDXL, 12, noise);
        float[] sample = new float[64];
        scheduler.initLatents(gaussian(99, sample.length), sample);
        float[] input = new float[64];
        float[] output = new float[64];
        for (int i = 0; i < scheduler.stepCount(); i++) {
            scheduler.scaleModelInput(sample, i, input);
            SchedulerReferenceTest.syntheticModel(input, i, output);
            scheduler.step(output, i, sample);
        }
        return sample;
    }

    private static float[] forward(float[] clean, float[] noise, float alphaCumprod) {
        float[] out = new float[clean.length];
        for (int k = 0; k < clean.length; k++) {
            out[k] = (float) (Math.sqrt(alphaCumprod) * clean[k] + Math.sqrt(1 - alphaCumprod) * noise[k]);
        }
        return out;
    }

    private static IntToDoubleFunction sigmasAfterSetting(Scheduler scheduler, int steps) {
        scheduler.setTimesteps(steps);
        return i -> sigmaOf(scheduler, i);
    }

    private static double sigmaOf(Scheduler scheduler, int i) {
        if (scheduler instanceof EulerDiscreteScheduler euler) {
            return euler.sigma(i);
        }
        if (scheduler instanceof EulerAncestralScheduler ancestral) {
            return ancestral.sigma(i);
        }
        return ((DpmSolverMultistepKarrasScheduler) scheduler).sigma(i);
    }

    private static float[] gaussian(long seed, int length) {
        float[] values = new float[length];
        new GaussianNoise(seed).fill(values);
        return values;
    }
}
