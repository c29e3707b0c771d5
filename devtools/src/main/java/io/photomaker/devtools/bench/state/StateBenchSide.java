package io.photomaker.devtools.bench.state;

import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.config.Settings;
import io.photomaker.gateway.GatewayProcess;
import io.photomaker.gateway.state.JobStateProcessor;
import io.photomaker.gateway.state.LocalStores;
import io.photomaker.worker.control.JobControlReader;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * One side of the state benchmark, in a JVM of its own so its heap and its Kafka reads are its own:
 * {@code gateway} runs a whole gateway process from PM_* settings; {@code control} runs a worker's job-control
 * reader following every partition (a worker that owns the whole queue). It announces itself with
 * {@code ready ...} and answers commands from stdin, one line each, prefixed {@value #REPLY}:
 * {@code heap} (bytes in use after full collections), {@code bytes} (bytes all Kafka consumers of this JVM have
 * fetched), {@code owned} (job partitions this gateway owns), {@code lag} (records its store copies are behind),
 * {@code caught} (control: whether every partition is loaded, and entries kept), {@code quit}.
 */
public final class StateBenchSide {
    static final String REPLY = "@@ ";

    private StateBenchSide() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromEnvironment(Map.of());
        if (args.length == 1 && args[0].equals("gateway")) {
            try (GatewayProcess gw = GatewayProcess.start(settings)) {
                reply("ready port=" + gw.port() + " management=" + gw.managementPort());
                serve(gw.gateway().services().processor(), null);
            }
        } else if (args.length == 1 && args[0].equals("control")) {
            KafkaSettings kafka = KafkaSettings.from(settings);
            try (JobControlReader reader = new JobControlReader(kafka, "bench-control").start()) {
                reader.follow(IntStream.range(0, kafka.partitions()).boxed().toList());
                reply("ready");
                serve(null, new Control(reader, kafka.partitions()));
            }
        } else {
            throw new IllegalArgumentException("usage: StateBenchSide gateway|control");
        }
        System.exit(0);
    }

    private record Control(JobControlReader reader, int partitions) {
        boolean caughtUp() {
            return IntStream.range(0, partitions).allMatch(reader::caughtUp);
        }
    }

    private static void serve(JobStateProcessor processor, Control control) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            switch (line.trim()) {
                case "heap" -> reply("heap " + heapAfterGc());
                case "bytes" -> reply("bytes " + consumedBytes());
                case "owned" -> reply("owned " + owned(processor.stores()));
                case "lag" -> reply("lag " + processor.storeLag());
                case "caught" -> reply("caught " + control.caughtUp() + " " + control.reader().size());
                case "quit" -> {
                    return;
                }
                default -> reply("unknown " + line);
            }
        }
    }

    private static String owned(LocalStores stores) {
        List<Integer> mine = new ArrayList<>();
        stores.holders().forEach((p, h) -> {
            if (h.active() != null && stores.isSelf(h.active())) {
                mine.add(p);
            }
        });
        return mine.stream().map(String::valueOf).collect(Collectors.joining(","));
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

    private static void reply(String s) {
        System.out.println(REPLY + s);
        System.out.flush();
    }
}
