package io.photomaker.devtools.bench;

import io.photomaker.cli.Args;
import io.photomaker.cli.Command;
import io.photomaker.testkit.models.StandInUnetBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bench steps}: Java + ONNX Runtime overhead per denoising step at SDXL 1024x1024 sizes, with a
 * stand-in UNet of negligible compute; the last line is {@code overhead_per_step_ms=<n>}.
 * {@code bench submit}: gateway submit cost against a raw S3 + Kafka baseline, and GET latency;
 * {@code --breakdown} adds where each round's CPU went.
 * {@code bench scale}: jobs per second with 1, 2 and 4 worker processes on the tiny models (see
 * {@link ScaleRun}); its last lines are {@code workers=N jobs_per_s=X}.
 * {@code bench worker}: how busy the real worker keeps a simulated device under a backlog (see
 * {@link io.photomaker.devtools.bench.worker.WorkerBenchmark}); its last lines are {@code device_busy=} and
 * {@code images_per_hour_per_device=}.
 * {@code bench state}: heap, start, failover and read latency of the partitioned job state with N retained
 * jobs (see {@link io.photomaker.devtools.bench.state.StateBenchmark}); nine {@code name=value} lines.
 */
public final class BenchCommand implements Command {
    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "benchmarks: bench steps [--dtype float32|float16] [--warmup N --steps N] | bench submit [--rounds N] [--pace P] [--breakdown]"
                + " | bench scale [--jobs N] | bench worker [--jobs N] [--prefetch N] [--format png|jpeg|webp] | bench encode"
                + " | bench state [--jobs 1000000]";
    }

    @Override
    public java.util.Set<String> flags() {
        return java.util.Set.of("breakdown");
    }

    @Override
    public java.util.Set<String> options() {
        // scale: fleets jobs size steps round-timeout-seconds warmup rounds pace; steps: dtype warmup steps;
        // worker: jobs warmup prefetch format unet-ms vae-ms id-ms gpu-memory-gib
        return java.util.Set.of("fleets", "jobs", "size", "steps", "round-timeout-seconds", "warmup", "rounds", "pace",
                "dtype", "prefetch", "format", "unet-ms", "vae-ms", "id-ms", "gpu-memory-gib");
    }

    /** Prints a table and one {@code workers=N jobs_per_s=X} line per fleet size. */
    private static int scale(Args args) throws Exception {
        List<Integer> fleets = new ArrayList<>();
        for (String f : args.get("fleets", "1,2,4").split(",")) {
            try {
                fleets.add(Integer.parseInt(f.trim()));
            } catch (NumberFormatException e) {
                throw new Args.UsageException("--fleets must be worker counts like 1,2,4, was " + f);
            }
        }
        if (fleets.stream().anyMatch(n -> n < 1 || n > 4)) {
            throw new Args.UsageException("fleet sizes must be 1..4 (the job queue has 4 partitions here)");
        }
        int jobs = args.getInt("jobs", 40);
        if (jobs < 1 || jobs > 1000) {
            throw new Args.UsageException("--jobs must be 1..1000");
        }
        ScaleRun.Options opt = new ScaleRun.Options(jobs, fleets, args.getInt("size", 128), args.getInt("steps", 8),
                Duration.ofSeconds(args.getInt("round-timeout-seconds", 120)));
        List<ScaleRun.Round> rounds;
        try (ScaleRun run = new ScaleRun(opt, System.out)) {
            rounds = run.run();
        }
        System.out.printf("jobs of 2 ID photos, %dx%d, %d steps, 1 output, tiny models on the CPU provider, %d cores%n",
                opt.size(), opt.size(), opt.steps(), Runtime.getRuntime().availableProcessors());
        System.out.print(ScaleRun.table(rounds));
        rounds.forEach(r -> System.out.println(r.line()));
        return rounds.stream().allMatch(r -> r.succeeded() == r.jobs()) ? 0 : 1;
    }

    /**
     * {@code --dtype float32} (default) or {@code float16}: the float16 run uses the export's interface,
     * float32 inputs and outputs around float16 inside the model, and also reports what float16 inputs and
     * outputs (converted in Java every step) would cost. The last line is {@code overhead_per_step_ms=}.
     */
    private static int steps(Args args) throws Exception {
        String dtype = args.get("dtype", "float32");
        if (!dtype.equals("float32") && !dtype.equals("float16")) {
            throw new Args.UsageException("--dtype must be float32 or float16");
        }
        int warmup = args.getInt("warmup", 500);
        int steps = args.getInt("steps", 2000);
        Path dir = Files.createTempDirectory("photomaker-bench");
        try {
            if (dtype.equals("float32")) {
                Path unet = StandInUnetBuilder.write(dir.resolve("unet.onnx"));
                StepOverheadBenchmark.run(unet, warmup, steps, System.out);
                return 0;
            }
            Path converted = StandInUnetBuilder.write(dir.resolve("unet-f16-io.onnx"),
                    StandInUnetBuilder.Precision.FLOAT16_IO);
            double javaConversion = StepOverheadBenchmark.run(converted, io.photomaker.worker.onnx.ElementType.FLOAT16,
                    warmup, steps, new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
            System.out.printf(java.util.Locale.ROOT, "float16_io_overhead_per_step_ms=%.4f (float16 inputs and outputs,"
                    + " converted in Java every step: what the export avoids)%n", javaConversion);
            System.out.println("dtype=float16: float32 inputs and outputs around float16 inside the model (the"
                    + " export's interface; the casts run inside the model, on the GPU there)");
            Path unet = StandInUnetBuilder.write(dir.resolve("unet-f16.onnx"),
                    StandInUnetBuilder.Precision.FLOAT16_FLOAT32_IO);
            StepOverheadBenchmark.run(unet, warmup, steps, System.out);
            return 0;
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
    }

    /** Prints what is simulated, then device_busy= and images_per_hour_per_device=. */
    private static int worker(Args args) throws Exception {
        int jobs = args.getInt("jobs", 40);
        int prefetch = args.getInt("prefetch", 1);
        String format = args.get("format", "png");
        if (jobs < 1 || jobs > 500) {
            throw new Args.UsageException("--jobs must be 1..500");
        }
        if (prefetch < 0 || prefetch > 4) {
            throw new Args.UsageException("--prefetch must be 0..4");
        }
        if (!io.photomaker.common.job.JobRequest.OUTPUT_FORMATS.contains(format)) {
            throw new Args.UsageException("--format must be png, jpeg or webp");
        }
        var timings = new io.photomaker.devtools.bench.worker.SimulatedDevice.Timings(
                Duration.ofMillis(args.getInt("unet-ms", 40)), Duration.ofMillis(args.getInt("vae-ms", 150)),
                Duration.ofMillis(args.getInt("id-ms", 30)));
        io.photomaker.devtools.bench.worker.WorkerBenchmark.run(new io.photomaker.devtools.bench.worker.WorkerBenchmark.Options(jobs,
                args.getInt("warmup", 3), prefetch, format, timings, args.getInt("gpu-memory-gib", 80)), System.out);
        return 0;
    }

    @Override
    public int run(Args args) throws Exception {
        String what = args.positional().isEmpty() ? "" : args.positional().get(0);
        switch (what) {
            case "steps" -> {
                return steps(args);
            }
            case "submit" -> {
                List<String> opts = new ArrayList<>();
                if (args.get("rounds").isPresent()) {
                    // getInt turns a non-number into a usage error; the default lives in the benchmark.
                    opts.addAll(List.of("--rounds", Integer.toString(args.getInt("rounds", 0))));
                }
                if (args.get("pace").isPresent()) {
                    opts.addAll(List.of("--pace", args.get("pace").get()));
                }
                if (args.flag("breakdown")) {
                    opts.add("--breakdown");
                }
                io.photomaker.devtools.bench.submit.SubmitBenchmark.main(opts.toArray(String[]::new));
                return 0;
            }
            case "scale" -> {
                return scale(args);
            }
            case "worker" -> {
                return worker(args);
            }
            case "encode" -> {
                EncoderBenchmark.run(args.getInt("warmup", 5), args.getInt("rounds", 15), System.out);
                return 0;
            }
            case "state" -> {
                int jobs = args.getInt("jobs", 1_000_000);
                if (jobs < 1 || jobs > 5_000_000) {
                    throw new Args.UsageException("--jobs must be 1..5000000");
                }
                io.photomaker.devtools.bench.state.StateBenchmark.main(new String[] {"--jobs", Integer.toString(jobs)});
                return 0;
            }
            default -> throw new Args.UsageException("bench needs one of: steps, submit, scale, worker, encode, state");
        }
    }
}
