package io.photomaker.devtools.bench;

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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A benchmark coordinator's line protocol with one side JVM: commands go to the side's standard input, one per
 * line; output lines starting with the reply prefix are answers, indented lines are shown on the coordinator's
 * output when it asks for them, everything else goes to the side's log file. When the side exits, a waiting
 * call fails with its exit status and the log's path.
 */
public final class SideConsole {
    private final String name;
    private final Process process;
    private final Path log;
    private final String replyPrefix;
    private final BufferedWriter commands;
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();

    /** Starts reading {@code process}'s output; {@code shown} gets its indented lines (null: they go to the log). */
    public SideConsole(String name, Process process, Path log, String replyPrefix, PrintStream shown) {
        this.name = name;
        this.process = process;
        this.log = log;
        this.replyPrefix = replyPrefix;
        this.commands = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        Thread pump = new Thread(() -> pump(shown), name + "-output");
        pump.setDaemon(true);
        pump.start();
    }

    /** Sends one command line. */
    public void send(String command) {
        try {
            commands.write(command);
            commands.newLine();
            commands.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(name + " is gone; see " + log, e);
        }
    }

    /** Waits for the next answer, which must start with {@code expected}, and returns it. */
    public String await(String expected, Duration timeout) {
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

    /** Sends {@code command} and waits for its answer (see {@link #await}). */
    public String call(String command, String expected, Duration timeout) {
        send(command);
        return await(expected, timeout);
    }

    /** Asks the side to quit and waits up to {@code wait} before killing it. */
    public void quit(Duration wait) throws InterruptedException {
        try {
            send("quit");
        } catch (UncheckedIOException e) {
            // already gone
        }
        if (!process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private void pump(PrintStream shown) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
             BufferedWriter file = Files.newBufferedWriter(log)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith(replyPrefix)) {
                    replies.add(line.substring(replyPrefix.length()));
                } else if (shown != null && line.startsWith("    ")) {
                    shown.println("  " + name + line);
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
}
