package io.photomaker.devtools.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import io.photomaker.common.job.SchedulerName;
import io.photomaker.worker.onnx.ElementType;
import io.photomaker.worker.onnx.ExecutionConfig;
import io.photomaker.worker.onnx.SessionFactory;
import io.photomaker.worker.onnx.TensorSlot;
import io.photomaker.worker.onnx.Unet;
import io.photomaker.worker.pipeline.guidance.ClassifierFreeGuidance;
import io.photomaker.worker.pipeline.schedule.GaussianNoise;
import io.photomaker.worker.pipeline.schedule.Scheduler;
import io.photomaker.worker.pipeline.schedule.SchedulerConfig;
import io.photomaker.worker.pipeline.schedule.Schedulers;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * Measures what our denoising loop adds to the UNet's own run time, at SDXL 1024x1024 sizes with a stand-in
 * UNet of negligible compute: the real loop (scheduler input scaling, our {@link Unet} wrapper with both
 * guidance branches in one batch, classifier-free guidance, scheduler step) against a bare
 * {@code session.run} of the same model with preallocated tensors, interleaved in rounds so that machine
 * noise hits both alike. Overhead = median loop step - median bare run. One intra-op thread.
 */
public final class StepOverheadBenchmark {

    private static final int CHANNELS = 4;
    private static final int LATENT_SIZE = 128;
    private static final int TOKENS = 77;
    private static final int PROMPT_DIM = 2048;
    private static final int POOLED_DIM = 1280;
    private static final int SCHEDULE_STEPS = 50;
    private static final int ROUNDS = 10;

    private StepOverheadBenchmark() {
    }

    /** Command line: {@code StepOverheadBenchmark <stand-in unet.onnx> [warmup steps] [steps]}. */
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: StepOverheadBenchmark <stand-in unet.onnx> [warmup steps] [steps]");
            System.exit(2);
        }
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        run(Path.of(args[0]), warmup, steps, System.out);
    }

    /**
     * Runs the benchmark and prints labelled figures, the last line being {@code overhead_per_step_ms=<n>}.
     *
     * @return the overhead per step in milliseconds
     */
    public static double run(Path standInUnetModel, int warmupSteps, int steps, PrintStream out) throws OrtException {
        return run(standInUnetModel, ElementType.FLOAT32, warmupSteps, steps, out);
    }

    /**
     * As above for a stand-in whose float inputs and outputs are {@code ioType} (float16 I/O means the loop
     * converts the latents in and the noise out each step; the bare run feeds the model's own type).
     */
    public static double run(Path standInUnetModel, ElementType ioType, int warmupSteps, int steps, PrintStream out)
            throws OrtException {
        if (warmupSteps < 0 || steps < ROUNDS) {
            throw new IllegalArgumentException("need warmupSteps >= 0 and steps >= " + ROUNDS);
        }
        SessionFactory sessions = SessionFactory.create(ExecutionConfig.cpu(1));
        try (Unet unet = new Unet(sessions, standInUnetModel, CHANNELS, TOKENS, PROMPT_DIM, POOLED_DIM);
                BareRun bare = new BareRun(sessions, standInUnetModel, ioType)) {
            var loop = new Loop(unet);
            loop.steps(warmupSteps);
            bare.runs(warmupSteps);

            int perRound = steps / ROUNDS;
            long[] loopTimes = new long[perRound * ROUNDS];
            long[] bareTimes = new long[perRound * ROUNDS];
            long loopAllocated = 0;
            long bareAllocated = 0;
            for (int r = 0; r < ROUNDS; r++) {
                long before = allocatedBytes();
                loop.timedSteps(loopTimes, r * perRound, perRound);
                long between = allocatedBytes();
                bare.timedRuns(bareTimes, r * perRound, perRound);
                loopAllocated += between - before;
                bareAllocated += allocatedBytes() - between;
            }

            double loopMs = median(loopTimes);
            double bareMs = median(bareTimes);
            double overhead = loopMs - bareMs;
            out.printf(Locale.ROOT, "steps_measured=%d (latents [2,%d,%d,%d], hidden [2,%d,%d], pooled [2,%d])%n",
                    loopTimes.length, CHANNELS, LATENT_SIZE, LATENT_SIZE, TOKENS, PROMPT_DIM, POOLED_DIM);
            out.printf(Locale.ROOT, "loop_step_median_ms=%.4f%n", loopMs);
            out.printf(Locale.ROOT, "loop_step_p90_ms=%.4f%n", percentile(loopTimes, 0.9));
            out.printf(Locale.ROOT, "bare_session_run_median_ms=%.4f%n", bareMs);
            out.printf(Locale.ROOT, "bare_session_run_p90_ms=%.4f%n", percentile(bareTimes, 0.9));
            out.printf(Locale.ROOT, "java_side_median_ms=%.4f (scale input + guidance + scheduler step, no UNet)%n",
                    loop.javaSideMedianMs());
            out.printf(Locale.ROOT, "heap_bytes_allocated_per_loop_step=%d (bare run: %d)%n",
                    loopAllocated / loopTimes.length, bareAllocated / bareTimes.length);
            out.printf(Locale.ROOT, "overhead_per_step_ms=%.4f%n", overhead);
            return overhead;
        }
    }

    /** The real per-step loop: Euler scheduler, our Unet wrapper, guidance, scheduler step. */
    private static final class Loop {
        private final Unet unet;
        private final Scheduler scheduler;
        private final GaussianNoise noise = new GaussianNoise(42);
        private final float[] latents = new float[CHANNELS * LATENT_SIZE * LATENT_SIZE];
        private final float[] modelInput = new float[latents.length];
        private final float[] uncond = new float[latents.length];
        private final float[] cond = new float[latents.length];
        private final float[] guided = new float[latents.length];
        private int index;

        Loop(Unet unet) {
            this.unet = unet;
            unet.prepare(LATENT_SIZE, LATENT_SIZE, true);
            float[] timeIds = {1024, 1024, 0, 0, 1024, 1024};
            unet.setBranch(Unet.Branch.UNCONDITIONAL, new float[TOKENS * PROMPT_DIM], new float[POOLED_DIM], timeIds);
            float[] hidden = new float[TOKENS * PROMPT_DIM];
            new GaussianNoise(7).fill(hidden);
            float[] pooled = new float[POOLED_DIM];
            new GaussianNoise(8).fill(pooled);
            unet.setBranch(Unet.Branch.CONDITIONAL, hidden, pooled, timeIds);
            scheduler = Schedulers.create(SchedulerName.EULER.wireName(), SchedulerConfig.sdxl(), SCHEDULE_STEPS, noise);
            restart();
        }

        private void restart() {
            scheduler.setTimesteps(SCHEDULE_STEPS);
            float[] draw = new float[latents.length];
            noise.fill(draw);
            scheduler.initLatents(draw, latents);
            index = 0;
        }

        void step() {
            int i = index;
            scheduler.scaleModelInput(latents, i, modelInput);
            unet.predict(modelInput, scheduler.timestep(i), uncond, cond);
            ClassifierFreeGuidance.combine(uncond, cond, 5f, 0f, guided);
            scheduler.step(guided, i, latents);
            index++;
        }

        void steps(int count) {
            for (int k = 0; k < count; k++) {
                if (index == SCHEDULE_STEPS) {
                    restart();
                }
                step();
            }
        }

        void timedSteps(long[] times, int offset, int count) {
            for (int k = 0; k < count; k++) {
                if (index == SCHEDULE_STEPS) {
                    restart();
                }
                long start = System.nanoTime();
                step();
                times[offset + k] = System.nanoTime() - start;
            }
        }

        /** Median time of the Java-side work of a step alone (no UNet run), over one schedule. */
        double javaSideMedianMs() {
            restart();
            long[] times = new long[SCHEDULE_STEPS];
            for (int i = 0; i < SCHEDULE_STEPS; i++) {
                long start = System.nanoTime();
                scheduler.scaleModelInput(latents, i, modelInput);
                ClassifierFreeGuidance.combine(uncond, cond, 5f, 0f, guided);
                scheduler.step(guided, i, latents);
                times[i] = System.nanoTime() - start;
            }
            return median(times);
        }
    }

    /** The floor: the same model run with tensors created once, output written into a preallocated tensor. */
    private static final class BareRun implements AutoCloseable {
        private final SessionFactory.OpenSession open;
        private final TensorSlot[] slots = new TensorSlot[6];
        private final Map<String, OnnxTensor> feeds;
        private final Map<String, OnnxTensor> pinned;

        BareRun(SessionFactory sessions, Path model, ElementType ioType) throws OrtException {
            open = sessions.open(model);
            for (int i = 0; i < slots.length; i++) {
                slots[i] = new TensorSlot(sessions.environment(), ioType);
            }
            feeds = Map.of(
                    "sample", slots[0].shaped(2, CHANNELS, LATENT_SIZE, LATENT_SIZE),
                    "timestep", slots[1].shaped(),
                    "encoder_hidden_states", slots[2].shaped(2, TOKENS, PROMPT_DIM),
                    "text_embeds", slots[3].shaped(2, POOLED_DIM),
                    "time_ids", slots[4].shaped(2, 6));
            pinned = Map.of("out_sample", slots[5].shaped(2, CHANNELS, LATENT_SIZE, LATENT_SIZE));
        }

        void runOnce() throws OrtException {
            open.session().run(feeds, pinned).close();
        }

        void runs(int count) throws OrtException {
            for (int k = 0; k < count; k++) {
                runOnce();
            }
        }

        void timedRuns(long[] times, int offset, int count) throws OrtException {
            for (int k = 0; k < count; k++) {
                long start = System.nanoTime();
                runOnce();
                times[offset + k] = System.nanoTime() - start;
            }
        }

        @Override
        public void close() {
            for (TensorSlot slot : slots) {
                slot.close();
            }
            open.close();
        }
    }

    private static double median(long[] nanos) {
        return percentile(nanos, 0.5);
    }

    private static double percentile(long[] nanos, double p) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(p * sorted.length))] / 1e6;
    }

    private static long allocatedBytes() {
        var threads = ManagementFactory.getThreadMXBean();
        if (threads instanceof com.sun.management.ThreadMXBean sun && sun.isThreadAllocatedMemorySupported()) {
            return sun.getThreadAllocatedBytes(Thread.currentThread().getId());
        }
        return 0;
    }
}
