package io.photomaker.devtools.bench.submit;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Where a benchmark round's CPU went in this JVM: CPU time per group of threads
 * (thread names with their numbers and ids folded, e.g. {@code data-plane-kafka-request-handler-N}),
 * the rest of the process (GC and JIT threads, which the thread bean does not list), and the embedded
 * broker's requests by type. {@link #take()} snapshots; {@link #print} shows the difference per operation.
 */
final class CpuBreakdown {
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f-]{27}");
    private static final Pattern NUMBER = Pattern.compile("\\d+");
    private static final int SHOWN_GROUPS = 12;

    private final Map<String, Long> threadNanos;
    private final Map<String, Long> jvmThreadNanos;
    private final Map<String, Long> brokerRequests;
    private final long processNanos;

    private CpuBreakdown(Map<String, Long> threadNanos, Map<String, Long> jvmThreadNanos,
                         Map<String, Long> brokerRequests, long processNanos) {
        this.threadNanos = threadNanos;
        this.jvmThreadNanos = jvmThreadNanos;
        this.brokerRequests = brokerRequests;
        this.processNanos = processNanos;
    }

    /** A snapshot; threads with id {@code clientThread} are reported as the benchmark's client. */
    static CpuBreakdown take(long clientThread) {
        return new CpuBreakdown(threadCpu(clientThread), JvmThreads.cpuByKind(), brokerRequests(),
                ClosedLoop.processCpuNanos());
    }

    /** Prints CPU milliseconds and broker requests per operation between {@code before} and this snapshot. */
    void print(CpuBreakdown before, long operations, PrintStream out) {
        double n = Math.max(1, operations);
        Map<String, Long> diff = new HashMap<>();
        long threads = 0;
        for (Map.Entry<String, Long> e : threadNanos.entrySet()) {
            long d = Math.max(0, e.getValue() - before.threadNanos.getOrDefault(e.getKey(), 0L));
            threads += d;
            diff.put(e.getKey(), d);
        }
        diff.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(SHOWN_GROUPS)
                .forEach(e -> out.printf(Locale.ROOT, "    %6.2f ms  %s%n", e.getValue() / 1e6 / n, e.getKey()));
        long unlisted = Math.max(0, processNanos - before.processNanos - threads);
        long named = 0;
        for (Map.Entry<String, Long> e : new TreeMap<>(jvmThreadNanos).entrySet()) {
            long d = Math.max(0, e.getValue() - before.jvmThreadNanos.getOrDefault(e.getKey(), 0L));
            named += d;
            out.printf(Locale.ROOT, "    %6.2f ms  (JVM: %s)%n", d / 1e6 / n, e.getKey());
        }
        out.printf(Locale.ROOT, "    %6.2f ms  (other threads the JVM does not list)%n",
                Math.max(0, unlisted - named) / 1e6 / n);
        if (brokerRequests.isEmpty()) {
            return;
        }
        StringBuilder requests = new StringBuilder("    broker requests per operation:");
        brokerRequests.forEach((type, count) -> {
            long d = count - before.brokerRequests.getOrDefault(type, 0L);
            if (d / n >= 0.01) {
                requests.append(String.format(Locale.ROOT, " %s=%.2f", type, d / n));
            }
        });
        out.println(requests);
    }

    private static Map<String, Long> threadCpu(long clientThread) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Long> byGroup = new HashMap<>();
        for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long nanos = mx.getThreadCpuTime(info.getThreadId());
            if (nanos < 0) {
                continue;
            }
            String group = info.getThreadId() == clientThread ? "benchmark HTTP client"
                    : NUMBER.matcher(UUID.matcher(info.getThreadName()).replaceAll("U")).replaceAll("N");
            byGroup.merge(group, nanos, Long::sum);
        }
        return byGroup;
    }

    /** Request counts of the broker in this JVM, by request type; empty where no broker runs. */
    private static Map<String, Long> brokerRequests() {
        Map<String, Long> counts = new TreeMap<>();
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            ObjectName pattern = new ObjectName("kafka.network:type=RequestMetrics,name=RequestsPerSec,*");
            for (ObjectName name : server.queryNames(pattern, null)) {
                Object count = server.getAttribute(name, "Count");
                counts.merge(name.getKeyProperty("request"), ((Number) count).longValue(), Long::sum);
            }
        } catch (JMException e) {
            throw new IllegalStateException("cannot read the broker's request metrics", e);
        }
        return counts;
    }
}
