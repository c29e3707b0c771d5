package io.photomaker.devtools.bench.submit;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time of the JVM's own threads, which the thread bean does not list, by kind: garbage collection,
 * JIT compilation and the rest of the VM's housekeeping. Read from {@code /proc/self/task}; empty where
 * that does not exist.
 */
final class JvmThreads {
    static final String GC = "gc";
    static final String JIT = "jit";
    static final String VM = "vm";
    private static final Path TASKS = Path.of("/proc/self/task");
    /** Linux reports thread CPU in clock ticks; 100 per second on every common configuration. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private JvmThreads() {
    }

    /** Cumulative CPU nanoseconds per kind: {@code gc}, {@code jit}, {@code vm}. */
    static Map<String, Long> cpuByKind() {
        Map<String, Long> byKind = new HashMap<>();
        if (!Files.isDirectory(TASKS)) {
            return byKind;
        }
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                read(task.resolve("stat"), byKind);
            }
        } catch (IOException e) {
            return byKind;
        }
        return byKind;
    }

    private static void read(Path stat, Map<String, Long> byKind) {
        String line;
        try {
            line = Files.readString(stat);
        } catch (IOException e) {
            return; // the thread ended while the directory was listed
        }
        int open = line.indexOf('(');
        int close = line.lastIndexOf(')');
        if (open < 0 || close < open) {
            return;
        }
        String kind = kind(line.substring(open + 1, close));
        if (kind == null) {
            return;
        }
        // Fields after the name: state is field 3, utime field 14 and stime field 15 (1-based, name = 2).
        String[] fields = line.substring(close + 2).split(" ");
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
        byKind.merge(kind, ticks * NANOS_PER_TICK, Long::sum);
    }

    /** The kind of a JVM thread by its OS name (15 characters at most), or null for application threads. */
    static String kind(String name) {
        if (name.startsWith("GC Thread") || name.startsWith("G1 ") || name.startsWith("GC ")) {
            return GC;
        }
        if (name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler")) {
            return JIT;
        }
        if (name.startsWith("VM ") || name.equals("Sweeper thread") || name.startsWith("Service Thread")) {
            return VM;
        }
        return null;
    }
}
