package io.photomaker.devtools.bench.state;

import io.photomaker.devtools.bench.SideConsole;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The coordinator's handle on a side JVM ({@link StateBenchSide}, {@link ControlBenchSide}) with a heap limit of its own: sends commands, waits
 * for answers, stops it cleanly ({@link #quit}) or with SIGKILL ({@link #kill}). Its log goes to a file.
 */
final class SideJvm implements AutoCloseable {
    /** Environment variable with extra JVM flags for the sides; {@code {name}} becomes the side's name. */
    static final String SIDE_JAVA_OPTS = "PHOTOMAKER_BENCH_SIDE_JAVA_OPTS";
    private final String name;
    private final Process process;
    private final SideConsole console;
    final long startedNanos;
    /** The side's HTTP port once it said so (gateways). */
    int port;

    private SideJvm(String name, Process process, Path log, long startedNanos) {
        this.name = name;
        this.process = process;
        this.startedNanos = startedNanos;
        this.console = new SideConsole(name, process, log, SideCommands.REPLY, null);
    }

    /** Starts {@code main} on {@code classpath} with heap limit {@code xmx} and {@code env}; returns once it runs. */
    static SideJvm start(String name, Class<?> main, String classpath, String xmx, Map<String, String> env,
                         Path logDir)
            throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + xmx));
        // Extra JVM flags for every side (a profiler, GC logging), e.g. PHOTOMAKER_BENCH_SIDE_JAVA_OPTS=-XX:+...
        String extra = System.getenv(SIDE_JAVA_OPTS);
        if (extra != null && !extra.isBlank()) {
            cmd.addAll(List.of(extra.trim().replace("{name}", name).split("\\s+")));
        }
        cmd.addAll(List.of("-cp", classpath, main.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        long t0 = System.nanoTime();
        return new SideJvm(name, pb.start(), logDir.resolve(name + ".log"), t0);
    }

    /** Waits for the side's {@code ready ...} line and returns it. */
    String awaitReady(Duration timeout) {
        return console.await("ready", timeout);
    }

    /** Sends {@code command} and returns its answer without the command word. */
    String call(String command, Duration timeout) {
        String answer = console.call(command, command, timeout);
        return answer.substring(Math.min(answer.length(), command.length() + 1));
    }

    /** Asks the side to stop cleanly (a gateway leaves its group and checkpoints its stores) and waits. */
    void quit() throws InterruptedException {
        console.quit(Duration.ofSeconds(60));
    }

    /** CPU time the side's JVM has used so far, in nanoseconds (0 when the OS does not say). */
    long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    @Override
    public String toString() {
        return name;
    }

    /** SIGKILL: the process ends at once, nothing closed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            quit();
        }
    }
}
