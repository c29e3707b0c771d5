package io.photomaker.cli;

import io.photomaker.testkit.models.StandInUnetBuilder;
import io.photomaker.worker.bench.StepOverheadBenchmark;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code bench steps}: Java + ONNX Runtime overhead per denoising step at SDXL 1024x1024 sizes, with a
 * stand-in UNet of negligible compute; the last line is {@code overhead_per_step_ms=<n>}.
 * {@code bench submit}: gateway submit cost against a raw S3 + Kafka baseline, and GET latency.
 * {@code bench scale}: jobs per second with 1, 2 and 4 worker processes on the tiny models.
 */
final class BenchCommand implements Command {
    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "benchmarks: bench steps [--warmup N --steps N] | bench submit | bench scale [--jobs N]";
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
                io.photomaker.gateway.bench.SubmitBenchmark.main(new String[0]);
                return 0;
            }
            default -> throw new Args.UsageException("bench needs one of: steps, submit, scale");
        }
    }
}
