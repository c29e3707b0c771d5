package io.photomaker.devtools.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.testkit.models.StandInUnetBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepOverheadBenchmarkTest {

    @TempDir
    Path dir;

    @Test
    void the_benchmark_prints_labelled_figures_and_ends_with_the_overhead_line() throws Exception {
        Path model = StandInUnetBuilder.write(dir.resolve("standin.onnx"));
        var bytes = new ByteArrayOutputStream();

        double overhead;
        try (var out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            overhead = StepOverheadBenchmark.run(model, 100, 300, out);
        }

        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        System.out.println(String.join("\n", lines));
        Matcher last = Pattern.compile("overhead_per_step_ms=(-?\\d+\\.\\d+)").matcher(lines.get(lines.size() - 1));
        assertTrue(last.matches(), lines.get(lines.size() - 1));
        assertEquals(overhead, Double.parseDouble(last.group(1)), 1e-4);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("bare_session_run_median_ms=")), lines::toString);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("loop_step_median_ms=")), lines::toString);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("java_side_median_ms=")), lines::toString);
    }
}
