package io.photomaker.devtools.bench.state;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The classpath a worker process runs with, as the build leaves it ({@code worker/target/photomaker-worker.jar}
 * and {@code worker/target/lib/}), plus this module's own jar or classes for the benchmark side's main class. A
 * JVM keeps the central directory of every jar it opens on its heap (about 7 MB for this module's 250-odd jars,
 * brokers and object store included): the worker side of the state benchmark measures a worker's heap, so it
 * runs on a worker's classpath. When the worker build is not there, the full classpath is used and said so.
 */
final class WorkerClasspath {
    private WorkerClasspath() {
    }

    /** The worker's classpath, or this JVM's when the worker's build output is not found (noted on {@code out}). */
    static String find(PrintStream out) {
        try {
            Path own = Path.of(ControlBenchSide.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            // own is <root>/devtools/target/photomaker-devtools.jar or <root>/devtools/target/classes
            Path worker = own.getParent().getParent().getParent().resolve("worker").resolve("target");
            Path jar = worker.resolve("photomaker-worker.jar");
            Path lib = worker.resolve("lib");
            if (Files.isRegularFile(jar) && Files.isDirectory(lib)) {
                List<String> parts = new ArrayList<>(List.of(own.toString(), jar.toString()));
                try (Stream<Path> jars = Files.list(lib)) {
                    jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> parts.add(p.toString()));
                }
                return String.join(File.pathSeparator, parts);
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            out.println("worker classpath not found (" + e + ")");
        }
        out.println("worker build output not found: the control reader runs on the benchmark's full classpath");
        return System.getProperty("java.class.path");
    }
}
