package io.photomaker.devtools.bench.submit;

import io.photomaker.devtools.bench.SideConsole;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The coordinator's handle on a {@link BenchSide} JVM: starts it on this JVM's class path with the given
 * environment, sends commands, waits for their answers, and reads its CPU time from the operating system.
 * The child's breakdown lines (indented) are shown on {@code out}; its other output goes to a log file.
 */
final class SideProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final SideConsole console;
    private String ready;

    private SideProcess(String name, Process process, Path log, PrintStream out) {
        this.name = name;
        this.process = process;
        this.console = new SideConsole(name + " side", process, log, BenchSide.REPLY, out);
    }

    /** Starts {@code BenchSide <mode>} and waits for its ready line; returns the handle and that line. */
    static SideProcess start(String mode, Map<String, String> env, Path logDir, PrintStream out) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), BenchSide.class.getName(), mode));
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        SideProcess side = new SideProcess(mode, pb.start(), logDir.resolve(mode + ".log"), out);
        try {
            side.ready = side.console.await("ready", Duration.ofSeconds(120));
        } catch (RuntimeException e) {
            side.process.destroyForcibly();
            throw e;
        }
        return side;
    }

    /** The line the side announced itself with, e.g. {@code ready port=41235}. */
    String readyLine() {
        return ready;
    }

    /** Sends one command and returns the answer, which must start with {@code expected}. */
    String call(String command, String expected, Duration timeout) {
        return console.call(command, expected, timeout);
    }

    /** CPU time the side's JVM has used so far, in nanoseconds. */
    long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().map(Duration::toNanos)
                .orElseThrow(() -> new IllegalStateException("the OS does not report the CPU time of " + name));
    }

    @Override
    public void close() throws InterruptedException {
        console.quit(Duration.ofSeconds(30));
    }
}
