package io.photomaker.devtools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.photomaker.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./photomaker demo --model photomaker-v2}: the whole system in one JVM, one V2 job, PNGs written. */
class DemoV2Test {

    @TempDir
    Path out;

    @Test
    void the_demo_runs_a_v2_job_end_to_end_and_writes_its_pngs() throws Exception {
        int exit = Main.run(Launcher.commands(), new String[] {"demo", "--model", "photomaker-v2", "--out", out.toString(),
            "--steps", "3", "--size", "64"});
        assertEquals(0, exit);
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(2, files.filter(p -> p.toString().endsWith(".png")).count());
        }
    }
}
