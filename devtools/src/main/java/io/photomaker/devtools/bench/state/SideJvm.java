package io.photomaker.devtools.bench.state;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
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
    private final BufferedWriter commands;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final Path log;
    final long startedNanos;
    /** The side's HTTP port once it said so (gateways). */
    int port;

    private SideJvm(String name, Process process, Path log, long startedNanos) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.startedNanos = startedNanos;
        this.commands = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        Thread pump = new Thread(this::pump, name + "-output");
        pump.setDaemon(true);
        pump.start();
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
        return await("ready", timeout);
    }

    /** Sends {@code command} and returns its answer without the command word. */
    String call(String command, Duration timeout) {
        try {
            commands.write(command);
            commands.newLine();
            commands.flush();
        } catch (IOException e) {
            throw new IllegalStateException(name + " is gone; see " + log, e);
        }
        String answer = await(command, timeout);
        return answer.substring(Math.min(answer.length(), command.length() + 1));
    }

    private String await(String expected, Duration timeout) {
        try {
            String line = replies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null || !line.startsWith(expected)) {
                throw new IllegalStateException(name + " answered " + line + " instead of " + expected
                        + (process.isAlive() ? "" : " and exited with " + process.exitValue()) + "; see " + log);
            }
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for " + name, e);
        }
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
             BufferedWriter file = Files.newBufferedWriter(log)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith(SideCommands.REPLY)) {
                    replies.add(line.substring(SideCommands.REPLY.length()));
                } else {
                    file.write(line);
                    file.newLine();
                    file.flush();
                }
            }
        } catch (IOException e) {
            // the side exited; a pending call reports it
        } finally {
            replies.add("exited");
        }
    }

    /** Asks the side to stop cleanly (a gateway leaves its group and checkpoints its stores) and waits. */
    void quit() throws InterruptedException {
        try {
            commands.write("quit");
            commands.newLine();
            commands.flush();
        } catch (IOException e) {
            // already gone
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
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
