package io.photomaker.worker.pipeline.schedule;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Compares the float32 schedulers with float64 values computed independently from the published definitions
 * (src/test/resources/schedule-reference/generate.py). Float32 storage of betas and alpha-bar costs a few
 * parts per million, hence the relative tolerance; integer timesteps must match exactly.
 */
class SchedulerReferenceTest {

    /** float32 betas and a float32 cumulative product drift by a few ppm from float64 over 1000 steps. */
    private static final double RELATIVE = 2e-5;

    private static final SchedulerConfig SDXL = SchedulerConfig.sdxl();

    @Test
    void training_alphas_and_sigmas_match_the_definition() {
        TrainingSchedule schedule = new TrainingSchedule(SDXL);
        double[] t = ReferenceValues.get("training.t");
        double[] alphas = ReferenceValues.get("training.alphas_cumprod");
        double[] sigmas = ReferenceValues.get("training.sigmas");
        for (int k = 0; k < t.length; k++) {
            assertClose(alphas[k], schedule.alphasCumprod[(int) t[k]], "alpha-bar at t=" + t[k]);
            assertClose(sigmas[k], schedule.sigmas[(int) t[k]], "sigma at t=" + t[k]);
        }
    }

    @ParameterizedTest(name = "{1} spacing, {0} steps")
    @CsvSource({"50,leading", "7,leading", "25,trailing", "25,linspace", "1,leading"})
    void euler_timesteps_sigmas_and_initial_sigma_match_the_reference(int steps, String spacing) {
        EulerDiscreteScheduler euler = new EulerDiscreteScheduler(SDXL.withTimestepSpacing(spacing));
        euler.setTimesteps(steps);
        String key = "euler." + spacing + "." + steps;
        double[] timesteps = ReferenceValues.get(key + ".timesteps");
        double[] sigmas = ReferenceValues.get(key + ".sigmas");
        assertEquals(timesteps.length, euler.stepCount());
        for (int i = 0; i < steps; i++) {
            assertEquals(timesteps[i], euler.timestep(i), 1e-4, "timestep " + i);
            assertClose(sigmas[i], euler.sigma(i), "sigma " + i);
        }
        assertEquals(0f, euler.sigma(steps));
        assertClose(ReferenceValues.single(key + ".init_noise_sigma"), euler.initNoiseSigma(), "init noise sigma");
    }

    @ParameterizedTest(name = "{0} steps")
    @CsvSource({"50", "7"})
    void ddim_timesteps_and_alphas_match_the_reference(int steps) {
        DdimScheduler ddim = new DdimScheduler(SDXL);
        ddim.setTimesteps(steps);
        double[] timesteps = ReferenceValues.get("ddim.leading." + steps + ".timesteps");
        double[] alphas = ReferenceValues.get("ddim.leading." + steps + ".alpha_t");
        for (int i = 0; i < steps; i++) {
            assertEquals(timesteps[i], ddim.timestep(i), "timestep " + i);
            assertClose(alphas[i], ddim.alphaCumprod(i), "alpha-bar " + i);
        }
        assertEquals(1f, ddim.initNoiseSigma());
    }

    @Test
    void ancestral_noise_split_matches_the_reference() {
        EulerAncestralScheduler ancestral = new EulerAncestralScheduler(SDXL, new GaussianNoise(1));
        ancestral.setTimesteps(10);
        double[] up = ReferenceValues.get("euler_a.leading.10.sigma_up");
        double[] down = ReferenceValues.get("euler_a.leading.10.sigma_down");
        for (int i = 0; i < 10; i++) {
            assertClose(up[i], ancestral.sigmaUp(i), "sigma_up " + i);
            assertClose(down[i], ancestral.sigmaDown(i), "sigma_down " + i);
        }
    }

    @ParameterizedTest(name = "{0} steps")
    @CsvSource({"30", "7", "1"})
    void karras_sigmas_and_their_timesteps_match_the_reference(int steps) {
        DpmSolverMultistepKarrasScheduler dpm = new DpmSolverMultistepKarrasScheduler(SDXL);
        dpm.setTimesteps(steps);
        double[] timesteps = ReferenceValues.get("karras." + steps + ".timesteps");
        double[] sigmas = ReferenceValues.get("karras." + steps + ".sigmas");
        for (int i = 0; i < steps; i++) {
            assertEquals(timesteps[i], dpm.timestep(i), "timestep " + i);
            assertClose(sigmas[i], dpm.sigma(i), "sigma " + i);
        }
        assertEquals(0f, dpm.sigma(steps));
    }

    @ParameterizedTest(name = "{0}, {1} steps")
    @CsvSource({"euler,10", "ddim,10", "dpmpp_2m_karras,10", "dpmpp_2m_karras,20"})
    void a_synthetic_model_follows_the_reference_trajectory(String name, int steps) {
        Scheduler scheduler = Schedulers.create(name, SDXL, steps, new GaussianNoise(0));
        float[] sample = toFloats(ReferenceValues.get("trajectory.start"));
        float[] input = new float[sample.length];
        float[] output = new float[sample.length];
        for (int i = 0; i < steps; i++) {
            scheduler.scaleModelInput(sample, i, input);
            syntheticModel(input, i, output);
            scheduler.step(output, i, sample);
            double[] expected = ReferenceValues.get("trajectory." + name + "." + steps + "." + i);
            for (int k = 0; k < sample.length; k++) {
                assertEquals(expected[k], sample[k], 2e-5 * Math.max(1, Math.abs(expected[k])),
                        name + " step " + i + " element " + k);
            }
        }
    }

    @Test
    void ancestral_step_is_the_euler_move_to_sigma_down_plus_scaled_noise_from_its_stream() {
        EulerAncestralScheduler ancestral = new EulerAncestralScheduler(SDXL, new GaussianNoise(42));
        ancestral.setTimesteps(10);
        GaussianNoise twin = new GaussianNoise(42);
        float[] sample = toFloats(ReferenceValues.get("trajectory.start"));
        float[] output = new float[sample.length];
        double[] up = ReferenceValues.get("euler_a.leading.10.sigma_up");
        double[] down = ReferenceValues.get("euler_a.leading.10.sigma_down");
        float[] input = new float[sample.length];
        for (int i = 0; i < 10; i++) {
            ancestral.scaleModelInput(sample, i, input);
            syntheticModel(input, i, output);
            double[] expected = new double[sample.length];
            for (int k = 0; k < sample.length; k++) {
                expected[k] = sample[k] + output[k] * (down[i] - ancestral.sigma(i)) + twin.nextFloat() * up[i];
            }
            ancestral.step(output, i, sample);
            for (int k = 0; k < sample.length; k++) {
                assertEquals(expected[k], sample[k], 2e-5 * Math.max(1, Math.abs(expected[k])), "step " + i);
            }
        }
    }

    @ParameterizedTest(name = "{0} steps")
    @CsvSource({"10", "1"})
    void euler_with_karras_sigmas_matches_the_reference(int steps) {
        EulerDiscreteScheduler euler = new EulerDiscreteScheduler(SDXL.withEulerSigmas(true, "linear", "zero"));
        euler.setTimesteps(steps);
        double[] timesteps = ReferenceValues.get("euler_karras.leading." + steps + ".timesteps");
        double[] sigmas = ReferenceValues.get("euler_karras.leading." + steps + ".sigmas");
        for (int i = 0; i < steps; i++) {
            assertEquals(timesteps[i], euler.timestep(i), 1e-3, "fractional timestep " + i);
            assertClose(sigmas[i], euler.sigma(i), "sigma " + i);
        }
        assertEquals(0f, euler.sigma(steps));
        assertClose(Math.sqrt(sigmas[0] * sigmas[0] + 1), euler.initNoiseSigma(), "init noise sigma");
    }

    @Test
    void euler_with_final_sigma_min_ends_at_the_smallest_training_sigma() {
        EulerDiscreteScheduler euler = new EulerDiscreteScheduler(SDXL.withEulerSigmas(false, "linear", "sigma_min"));
        euler.setTimesteps(7);
        double[] sigmas = ReferenceValues.get("euler.sigma_min.leading.7.sigmas");
        for (int i = 0; i <= 7; i++) {
            assertClose(sigmas[i], euler.sigma(i), "sigma " + i);
        }
        EulerAncestralScheduler ancestral = new EulerAncestralScheduler(SDXL.withEulerSigmas(true, "linear", "sigma_min"),
                new GaussianNoise(1));
        ancestral.setTimesteps(7);
        assertEquals(0f, ancestral.sigma(7), "diffusers' ancestral Euler has neither setting");
    }

    @Test
    void the_cosine_beta_schedule_matches_its_definition() {
        TrainingSchedule schedule = new TrainingSchedule(new SchedulerConfig(1000, 0.0001, 0.02, "squaredcos_cap_v2",
                "leading", 1, "epsilon"));
        double[] t = ReferenceValues.get("training.t");
        double[] alphas = ReferenceValues.get("cosine.alphas_cumprod");
        for (int k = 0; k < t.length - 1; k++) {
            assertClose(alphas[k], schedule.alphasCumprod[(int) t[k]], "alpha-bar at t=" + t[k]);
        }
    }

    @Test
    void ddim_with_alpha_one_and_clipping_follows_the_reference_trajectory() {
        Scheduler ddim = Schedulers.create("ddim", SDXL.withDdim(true, true, 1.5), 10, new GaussianNoise(0));
        float[] sample = toFloats(ReferenceValues.get("trajectory.start"));
        for (int k = 0; k < sample.length; k++) {
            sample[k] *= 3;
        }
        float[] output = new float[sample.length];
        for (int i = 0; i < 10; i++) {
            syntheticModel(sample, i, output);
            ddim.step(output, i, sample);
            double[] expected = ReferenceValues.get("trajectory.ddim_alpha_one_clip_1.5.10." + i);
            for (int k = 0; k < sample.length; k++) {
                assertEquals(expected[k], sample[k], 2e-5 * Math.max(1, Math.abs(expected[k])), "step " + i + " element " + k);
            }
        }
    }

    @Test
    void reference_file_covers_every_trajectory_step() {
        assertArrayEquals(new double[] {0.9, -1.3, 0.25, 2.1, -0.4, 0.05}, ReferenceValues.get("trajectory.start"));
        assertEquals(6, ReferenceValues.get("trajectory.dpmpp_2m_karras.20.19").length);
    }

    /** eps_j = 0.6 u_j + 0.3 cos(0.7 j + 0.3 i): the same synthetic model generate.py uses. */
    static void syntheticModel(float[] input, int step, float[] out) {
        for (int j = 0; j < input.length; j++) {
            out[j] = (float) (0.6 * input[j] + 0.3 * Math.cos(0.7 * j + 0.3 * step));
        }
    }

    static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int k = 0; k < values.length; k++) {
            out[k] = (float) values[k];
        }
        return out;
    }

    private static void assertClose(double expected, double actual, String what) {
        double tolerance = RELATIVE * Math.abs(expected) + 1e-7;
        assertTrue(Math.abs(expected - actual) <= tolerance,
                what + ": expected " + expected + " but was " + actual + " (relative error "
                        + Math.abs(expected - actual) / Math.abs(expected) + ")");
    }
}
