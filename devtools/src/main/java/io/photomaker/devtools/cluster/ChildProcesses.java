package io.photomaker.devtools.cluster;

import io.photomaker.devtools.Launcher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Launches other {@code photomaker} launcher commands as separate JVMs on this process's classpath (chaos
 * runs, scaling runs), keeps their output in a log file, and stops them with SIGTERM or SIGKILL.
 */
public final class ChildProcesses implements AutoCloseable {
    private final List<Process> started = new CopyOnWriteArrayList<>();
    private final Path logDir;
    private int counter;

    public ChildProcesses(Path logDir) {
        this.logDir = logDir;
    }

    /** Starts {@code photomaker <args>} with {@code env} added to this process's environment. */
    public synchronized Process start(String name, Map<String, String> env, String... args) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(launcher(args));
        pb.environment().putAll(env);
        Path log = logDir.resolve(name + "-" + (++counter) + ".log");
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        started.add(p);
        return p;
    }

    /** Starts a child and waits until its output has a line matching {@code ready}; returns its lines so far. */
    public Process startAndAwait(String name, Map<String, String> env, Predicate<List<String>> ready, long timeoutMs,
                          List<String> linesOut, String... args) throws IOException, InterruptedException {
        return startAndAwait(name, env, ready, timeoutMs, linesOut, launcher(args));
    }

    /** As above for any command line, such as {@link #java} of another main class. */
    public Process startAndAwait(String name, Map<String, String> env, Predicate<List<String>> ready, long timeoutMs,
                                 List<String> linesOut, List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.redirectError(logDir.resolve(name + "-stderr.log").toFile());
        Process p = pb.start();
        started.add(p);
        BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        long deadline = System.currentTimeMillis() + timeoutMs;
        Path log = logDir.resolve(name + "-stdout.log");
        Thread reader = new Thread(() -> {
            try (var copy = java.nio.file.Files.newBufferedWriter(log)) {
                String line;
                while ((line = r.readLine()) != null) {
                    copy.write(line);
                    copy.newLine();
                    copy.flush();
                    synchronized (linesOut) {
                        linesOut.add(line);
                        linesOut.notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // child ended
            }
        }, name + "-stdout");
        reader.setDaemon(true);
        reader.start();
        synchronized (linesOut) {
            while (!ready.test(linesOut)) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0 || !p.isAlive()) {
                    throw new IllegalStateException(name + " did not become ready; see " + logDir);
                }
                linesOut.wait(Math.min(left, 200));
            }
        }
        return p;
    }

    private static List<String> launcher(String... args) {
        return java(classpath(), Launcher.class.getName(), args);
    }

    /** The command line that runs {@code mainClass} on {@code classpath} in a small JVM like this one's. */
    public static List<String> java(String classpath, String mainClass, String... args) {
        return java(List.of("-Xmx512m", "-XX:+UseSerialGC"), classpath, mainClass, args);
    }

    /** As above with {@code jvmOptions} (heap size, GC, ...) instead of the defaults. */
    public static List<String> java(List<String> jvmOptions, String classpath, String mainClass, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        return cmd;
    }

    public static String classpath() {
        // Under the test runner the JVM's own class path is a launcher jar; the real one is in a property.
        for (String property : new String[]{"photomaker.classpath", "surefire.test.class.path"}) {
            String cp = System.getProperty(property);
            if (cp != null && !cp.isBlank()) {
                return cp;
            }
        }
        return System.getProperty("java.class.path");
    }

    public static void kill(Process p) throws InterruptedException {
        p.destroyForcibly();
        p.waitFor(20, TimeUnit.SECONDS);
    }

    public static void signal(Process p, String signal) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + signal, Long.toString(p.pid())).inheritIO().start().waitFor();
    }

    @Override
    public void close() {
        for (Process p : started) {
            p.destroy();
        }
        for (Process p : started) {
            try {
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                p.destroyForcibly();
            }
        }
    }
}
