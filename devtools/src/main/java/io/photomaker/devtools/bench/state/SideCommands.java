package io.photomaker.devtools.bench.state;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Supplier;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * What every side JVM of the state benchmark answers, and how: commands from stdin, one line each, answers
 * prefixed {@value #REPLY}. Depends on nothing of the gateway or the worker, so a side can run on either's
 * classpath alone.
 */
final class SideCommands {
    static final String REPLY = "@@ ";

    private SideCommands() {
    }

    /**
     * Answers {@code heap} (bytes in use after full collections), {@code bytes} (bytes all Kafka consumers of this
     * JVM have fetched) and the side's own {@code commands} until {@code quit} or the end of stdin.
     */
    static void serve(Map<String, Supplier<String>> commands) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String command = line.trim();
            if (command.equals("quit")) {
                return;
            } else if (command.equals("heap")) {
                reply("heap " + heapAfterGc());
            } else if (command.equals("bytes")) {
                reply("bytes " + consumedBytes());
            } else if (commands.containsKey(command)) {
                reply(command + " " + commands.get(command).get());
            } else {
                reply("unknown " + line);
            }
        }
    }

    /** Heap in use after full collections: what the process keeps, not what it happens to hold right now. */
    static long heapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** Bytes every Kafka consumer in this JVM has fetched so far (main, restore, feed, usage, control). */
    static long consumedBytes() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        double total = 0;
        for (ObjectName n : server.queryNames(new ObjectName("kafka.consumer:type=consumer-fetch-manager-metrics,*"),
                null)) {
            if (n.getKeyProperty("topic") == null && n.getKeyProperty("partition") == null) {
                Object v = server.getAttribute(n, "bytes-consumed-total");
                total += v instanceof Number num ? num.doubleValue() : 0;
            }
        }
        return (long) total;
    }

    static void reply(String s) {
        System.out.println(REPLY + s);
        System.out.flush();
    }
}
