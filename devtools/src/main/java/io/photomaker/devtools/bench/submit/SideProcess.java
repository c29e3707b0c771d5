package io.photomaker.devtools.bench.submit;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The coordinator's handle on a {@link BenchSide} JVM: starts it on this JVM's class path with the given
 * environment, sends commands, waits for their answers, and reads its CPU time from the operating system.
 * The child's breakdown lines (indented) are shown on {@code out}; its other output goes to a log file.
 */
final class SideProcess implements AutoCloseable {
    private final String name;
    private final Process process;
    private final BufferedWriter commands;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();
    private final Path log;
    private String ready;

    private SideProcess(String name, Process process, Path log, PrintStream out) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.commands = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        Thread reader = new Thread(() -> pump(out), name + "-output");
        reader.setDaemon(true);
        reader.start();
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
            side.ready = side.await("ready", Duration.ofSeconds(120));
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
        try {
            send(command);
        } catch (IOException e) {
            throw new UncheckedIOException(name + " side is gone; see " + log, e);
        }
        return await(expected, timeout);
    }

    private void send(String command) throws IOException {
        commands.write(command);
        commands.newLine();
        commands.flush();
    }

    /** CPU time the side's JVM has used so far, in nanoseconds. */
    long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().map(Duration::toNanos)
                .orElseThrow(() -> new IllegalStateException("the OS does not report the CPU time of " + name));
    }

    private String await(String expected, Duration timeout) {
        try {
            String line = replies.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null || !line.startsWith(expected)) {
                throw new IllegalStateException(name + " side answered " + line + " instead of " + expected
                        + (process.isAlive() ? "" : " and exited with " + process.exitValue()) + "; see " + log);
            }
            return line;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the " + name + " side", e);
        }
    }

    private void pump(PrintStream out) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
             BufferedWriter file = Files.newBufferedWriter(log)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith(BenchSide.REPLY)) {
                    replies.add(line.substring(BenchSide.REPLY.length()));
                } else if (line.startsWith("    ")) {
                    out.println("  " + name + line);
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

    @Override
    public void close() throws InterruptedException {
        try {
            send("quit");
        } catch (IOException e) {
            // already gone
        }
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
