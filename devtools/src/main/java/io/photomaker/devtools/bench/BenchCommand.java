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
 */
public final class BenchCommand implements Command {
    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "benchmarks: bench steps [--warmup N --steps N] | bench submit [--rounds N] [--pace P] [--breakdown]"
                + " | bench scale [--jobs N]";
    }

    @Override
    public java.util.Set<String> flags() {
        return java.util.Set.of("breakdown");
    }

    @Override
    public java.util.Set<String> options() {
        return java.util.Set.of("fleets", "jobs", "size", "steps", "round-timeout-seconds", "warmup", "rounds", "pace");
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

    @Override
    public int run(Args args) throws Exception {
        String what = args.positional().isEmpty() ? "" : args.positional().get(0);
        switch (what) {
            case "steps" -> {
                Path dir = Files.createTempDirectory("photomaker-bench");
                Path unet = StandInUnetBuilder.write(dir.resolve("unet.onnx"));
                try {
                    StepOverheadBenchmark.run(unet, args.getInt("warmup", 500), args.getInt("steps", 2000), System.out);
                } finally {
                    Files.deleteIfExists(unet);
                    Files.deleteIfExists(dir);
                }
                return 0;
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
            default -> throw new Args.UsageException("bench needs one of: steps, submit, scale");
        }
    }
}
