package io.photomaker.devtools.bench.state;

import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.config.Settings;
import io.photomaker.worker.control.JobControlReader;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/**
 * The worker side of the state benchmark: a worker's job-control reader following every partition (a worker
 * that owns the whole queue), in a JVM of its own on the worker's classpath, so its heap is what a worker's
 * would be. It announces itself with {@code ready} and answers {@link SideCommands} plus {@code caught} (whether
 * every partition is loaded, and the entries kept).
 */
public final class ControlBenchSide {
    private ControlBenchSide() {
    }

    public static void main(String[] args) throws Exception {
        KafkaSettings kafka = KafkaSettings.from(Settings.fromEnvironment(Map.of()));
        try (JobControlReader reader = new JobControlReader(kafka, "bench-control").start()) {
            reader.follow(IntStream.range(0, kafka.partitions()).boxed().toList());
            SideCommands.reply("ready");
            Supplier<String> caught = () -> IntStream.range(0, kafka.partitions()).allMatch(reader::caughtUp) + " "
                    + reader.size();
            SideCommands.serve(Map.of("caught", caught));
        }
        System.exit(0);
    }
}
