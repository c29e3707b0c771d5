package io.photomaker.devtools.bench.state;

import io.photomaker.testkit.infra.EmbeddedKafka;
import io.photomaker.testkit.infra.EmbeddedS3;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * {@code bench state}: what holding N retained jobs costs the gateways and a worker, and how fast the state
 * answers. An embedded broker with 24 partitions gets the state processor's outputs for N jobs written
 * directly ({@link StateSeeder}); two gateway JVMs at -Xmx384m start on it with empty state directories; a
 * worker's job-control reader runs in a JVM at -Xmx128m. It prints, one per line: {@code gateway_heap_mb}
 * (the larger gateway heap after full GCs, all N jobs retained), {@code worker_state_heap_mb},
 * {@code cold_start_s} (both gateways from empty disks until /readyz says ready), {@code warm_start_s} (a
 * gateway restarted on its own state directory), {@code failover_s} (SIGKILL one gateway until a GET of every
 * partition's jobs through the other answers again), {@code get_p99_ms_local} and {@code get_p99_ms_routed}
 * (GETs at 500/s of jobs the asked gateway owns, and of jobs the other one owns, after a warm-up that is not
 * counted; see {@link GetLoad} for the client), {@code list_p99_ms}, and
 * {@code state_bytes_read_per_job} (bytes all state readers of the three JVMs fetched from Kafka to load the
 * state, per job). Before seeding, one gateway on the empty cluster gives the heap baseline.
 */
public final class StateBenchmark implements AutoCloseable {
    static final int PARTITIONS = 24;
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration CALL = Duration.ofMinutes(2);
    private static final int RATE = 500;
    private static final int GETS = 5_000;
    private static final int WARM_UP_GETS = 2_500;
    private static final int LIST_RATE = 100;

    private final int jobs;
    private final PrintStream out;
    private final Path dir;
    private final List<SideJvm> sides = new ArrayList<>();
    private EmbeddedKafka kafka;
    private EmbeddedS3 s3;
    private Map<String, String> env;

    StateBenchmark(int jobs, PrintStream out) throws IOException {
        this.jobs = jobs;
        this.out = out;
        this.dir = Files.createTempDirectory("photomaker-bench-state-");
    }

    /** Runs the benchmark; returns its nine figures in print order. */
    Map<String, String> run() throws Exception {
        Map<String, String> figures = new java.util.LinkedHashMap<>();
        // Kafka's own default: members starting together join one first rebalance (the test broker's 0 would
        // hand every partition to whichever gateway comes first).
        kafka = EmbeddedKafka.start(PARTITIONS, dir.resolve("kafka"), Map.of("group.initial.rebalance.delay.ms", 3000));
        s3 = EmbeddedS3.start(dir.resolve("s3"), 0);
        try (io.photomaker.common.storage.ObjectStore store = new io.photomaker.common.storage.ObjectStore(s3.settings())) {
            store.ensureBucket().join();
        }
        env = environment();
        long emptyHeap = emptyGatewayHeap();
        long t0 = System.nanoTime();
        List<String> ids;
        try (StateSeeder seeder = new StateSeeder(kafka.settings())) {
            seeder.createTopics();
            ids = seeder.seed(jobs);
            out.printf(Locale.ROOT, "seeded %d jobs (%d MB of records) in %.1f s; logs in %s%n", jobs,
                    seeder.bytesWritten() >> 20, seconds(t0), dir);
        }
        SideJvm a = gateway("gateway-a", "a");
        SideJvm b = gateway("gateway-b", "b");
        figures.put("cold_start_s", fmt(Math.max(awaitReady(a), awaitReady(b))));
        awaitStandbys(a, b);
        SideJvm control = side("control", ControlBenchSide.class, WorkerClasspath.find(out), "128m", env);
        control.awaitReady(READY_TIMEOUT);
        await("the control reader to load every partition", () -> control.call("caught", CALL).startsWith("true"));
        long bytes = bytes(a) + bytes(b) + bytes(control);
        long gatewayHeap = Math.max(heap(a), heap(b));
        figures.put("gateway_heap_mb", mb(gatewayHeap));
        figures.put("worker_state_heap_mb", mb(heap(control)));
        out.printf(Locale.ROOT, "gateway heap with no jobs %s MB, growth to %d jobs %s MB; control entries kept: %s%n",
                mb(emptyHeap), jobs, mb(gatewayHeap - emptyHeap), control.call("caught", CALL).split(" ")[1]);
        control.quit();
        Set<Integer> ownedByA = owned(a);
        out.println("gateway a owns partitions " + ownedByA + " of " + PARTITIONS);
        settle(a, b);
        measureReads(ids, ownedByA, figures);
        SideJvm b2 = restart(b, figures);
        awaitStandbys(a, b2);
        figures.put("failover_s", fmt(failover(a, b2, ids)));
        figures.put("state_bytes_read_per_job", Long.toString(bytes / Math.max(1, jobs)));
        return order(figures);
    }

    private Map<String, String> environment() {
        Map<String, String> e = new HashMap<>(s3.environment());
        e.put("PM_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        e.put("PM_TOPIC_PARTITIONS", Integer.toString(PARTITIONS));
        e.put("PM_HTTP_HOST", "127.0.0.1");
        e.put("PM_HTTP_PORT", "0");
        e.put("PM_API_KEYS", apiKeys());
        e.put("PM_WEBHOOK_SIGNING_KEY", "bench-state-webhook-signing-key-0123456789");
        return e;
    }

    static String apiKeys() {
        List<String> keys = new ArrayList<>();
        for (int t = 0; t < StateSeeder.TENANTS; t++) {
            keys.add(StateSeeder.tenantOf(t) + ":" + keyOf(StateSeeder.tenantOf(t)));
        }
        return String.join(",", keys);
    }

    static String keyOf(String tenant) {
        return "bench-key-" + tenant + "-0123456789";
    }

    private long emptyGatewayHeap() throws Exception {
        SideJvm g = gateway("gateway-empty", "empty");
        awaitReady(g);
        long heap = heap(g);
        g.quit();
        sides.remove(g);
        return heap;
    }

    private SideJvm gateway(String name, String stateDir) throws IOException {
        Map<String, String> e = new HashMap<>(env);
        e.put("PM_STATE_DIR", dir.resolve("state-" + stateDir).toString());
        return side(name, StateBenchSide.class, System.getProperty("java.class.path"), "384m", e);
    }

    private SideJvm side(String name, Class<?> main, String classpath, String xmx, Map<String, String> e)
            throws IOException {
        SideJvm s = SideJvm.start(name, main, classpath, xmx, e, dir);
        sides.add(s);
        return s;
    }

    /** Seconds from the side's start until its /readyz answers 200. */
    private double awaitReady(SideJvm g) throws Exception {
        String line = g.awaitReady(READY_TIMEOUT);
        g.port = Integer.parseInt(line.split("port=")[1].split(" ")[0].trim());
        // /readyz is on the management port, not the API's.
        int management = Integer.parseInt(line.split("management=")[1].trim());
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + management + "/readyz")).GET()
                .build();
        await(g + " to be ready", () -> {
            try {
                return http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        });
        return (System.nanoTime() - g.startedNanos) / 1e9;
    }

    private void awaitStandbys(SideJvm a, SideJvm b) throws Exception {
        long t0 = System.nanoTime();
        await("every store copy to catch up", () -> a.call("lag", CALL).equals("0") && b.call("lag", CALL).equals("0"));
        out.printf(Locale.ROOT, "standby copies caught up %.1f s later%n", seconds(t0));
    }

    /**
     * Waits (up to five minutes) until neither gateway uses more than a tenth of a core over five seconds: after
     * restoring, RocksDB compacts what it loaded, and reads measured during that measure the compaction.
     */
    private void settle(SideJvm... gateways) throws InterruptedException {
        long t0 = System.nanoTime();
        long deadline = t0 + TimeUnit.MINUTES.toNanos(5);
        while (System.nanoTime() < deadline) {
            long[] before = java.util.Arrays.stream(gateways).mapToLong(SideJvm::cpuNanos).toArray();
            Thread.sleep(5_000);
            boolean quiet = true;
            for (int i = 0; i < gateways.length; i++) {
                quiet &= gateways[i].cpuNanos() - before[i] < TimeUnit.MILLISECONDS.toNanos(500);
            }
            if (quiet) {
                break;
            }
        }
        out.printf(Locale.ROOT, "gateways idle after %.1f s (background compaction done)%n", seconds(t0));
    }

    private void measureReads(List<String> ids, Set<Integer> ownedByA, Map<String, String> figures) throws Exception {
        SideJvm a = named("gateway-a");
        Random random = new Random(1);
        List<Integer> local = new ArrayList<>();
        List<Integer> routed = new ArrayList<>();
        List<Integer> warmUp = new ArrayList<>();
        while (local.size() < GETS || routed.size() < GETS || warmUp.size() < WARM_UP_GETS) {
            int i = random.nextInt(ids.size());
            List<Integer> into = ownedByA.contains(StateSeeder.partitionOf(ids.get(i), PARTITIONS)) ? local : routed;
            if (warmUp.size() < WARM_UP_GETS) {
                warmUp.add(i);
            } else if (into.size() < GETS) {
                into.add(i);
            }
        }
        try (GetLoad load = new GetLoad()) {
            // Both gateways' read paths (local, routed, listing) and the client's connections run a while first:
            // what is measured is the steady state, not the JIT compiling the read path.
            p99("warm-up GET (not counted)", load.run(RATE, WARM_UP_GETS, n -> job(a, ids, warmUp.get(n))), false);
            p99("warm-up list (not counted)", load.run(LIST_RATE, WARM_UP_GETS / 5, n -> list(a, n)), false);
            figures.put("get_p99_ms_local", fmt(p99("local GET", load.run(RATE, GETS, n -> job(a, ids, local.get(n))),
                    true)));
            figures.put("get_p99_ms_routed", fmt(p99("routed GET", load.run(RATE, GETS,
                    n -> job(a, ids, routed.get(n))), true)));
            figures.put("list_p99_ms", fmt(p99("list", load.run(LIST_RATE, 2_000, n -> list(a, n)), true)));
        }
    }

    private static GetLoad.Get list(SideJvm via, int n) {
        String tenant = StateSeeder.tenantOf(n % StateSeeder.TENANTS);
        return GetLoad.get(via.port, "/v1/jobs?limit=20", keyOf(tenant));
    }

    private static GetLoad.Get job(SideJvm via, List<String> ids, int i) {
        return GetLoad.get(via.port, "/v1/jobs/" + ids.get(i), keyOf(StateSeeder.tenantOf(i)));
    }

    private static HttpRequest request(GetLoad.Get g) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + g.port() + g.path()))
                .header("Authorization", "Bearer " + g.key()).timeout(Duration.ofSeconds(30)).GET().build();
    }

    private double p99(String what, GetLoad.Result r, boolean counted) {
        out.printf(Locale.ROOT, "%s: p50 %.2f ms, p99 %.2f ms, max %.2f ms, %d of %d not 200 (load average %s)%n",
                what, r.percentile(0.5), r.percentile(0.99), r.percentile(1.0), r.failed(), r.millis().length,
                loadAverage());
        if (counted && r.failed() > 0) {
            throw new IllegalStateException(what + ": " + r.failed() + " requests did not answer 200");
        }
        return r.percentile(0.99);
    }

    /** Stops gateway b cleanly and starts it again on its state directory; records the time to ready. */
    private SideJvm restart(SideJvm b, Map<String, String> figures) throws Exception {
        b.quit();
        sides.remove(b);
        SideJvm again = gateway("gateway-b-restarted", "b");
        figures.put("warm_start_s", fmt(awaitReady(again)));
        return again;
    }

    /**
     * SIGKILLs gateway b and asks gateway a, in rounds, for two jobs of every partition; returns the seconds
     * from the kill until a whole round answers 200.
     */
    private double failover(SideJvm a, SideJvm b, List<String> ids) throws Exception {
        Map<Integer, List<Integer>> sample = new HashMap<>();
        for (int i = 0; i < ids.size() && sample.size() < PARTITIONS * 2 + 1; i++) {
            List<Integer> of = sample.computeIfAbsent(StateSeeder.partitionOf(ids.get(i), PARTITIONS),
                    k -> new ArrayList<>());
            if (of.size() < 2) {
                of.add(i);
            }
        }
        List<Integer> probe = sample.values().stream().flatMap(List::stream).toList();
        HttpClient http = HttpClient.newHttpClient();
        long killed = System.nanoTime();
        b.kill();
        sides.remove(b);
        await("every partition to answer through the surviving gateway", () -> probe.stream().allMatch(i -> {
            try {
                return http.send(request(job(a, ids, i)), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (Exception e) {
                return false;
            }
        }));
        return (System.nanoTime() - killed) / 1e9;
    }

    private Set<Integer> owned(SideJvm g) {
        Set<Integer> out = new HashSet<>();
        for (String p : g.call("owned", CALL).split(",")) {
            if (!p.isBlank()) {
                out.add(Integer.parseInt(p.trim()));
            }
        }
        return out;
    }

    private SideJvm named(String name) {
        return sides.stream().filter(s -> s.toString().equals(name)).findFirst().orElseThrow();
    }

    private static long heap(SideJvm s) {
        return Long.parseLong(s.call("heap", CALL));
    }

    private static long bytes(SideJvm s) {
        return Long.parseLong(s.call("bytes", CALL));
    }

    /** Polls {@code condition} (every 50 ms) until it holds or the ready timeout passes. */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("timed out waiting for " + what);
            }
            // polling interval of the check, not a guess at how long the work takes
            Thread.sleep(50);
        }
    }

    private static Map<String, String> order(Map<String, String> f) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String k : List.of("gateway_heap_mb", "worker_state_heap_mb", "cold_start_s", "warm_start_s",
                "failover_s", "get_p99_ms_local", "get_p99_ms_routed", "list_p99_ms", "state_bytes_read_per_job")) {
            out.put(k, f.get(k));
        }
        return out;
    }

    /** The machine's 1-minute load average, as the OS reports it. */
    static String loadAverage() {
        return String.format(Locale.ROOT, "%.2f",
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static String mb(long bytes) {
        return fmt(bytes / 1048576.0);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    @Override
    public void close() throws Exception {
        for (SideJvm s : new ArrayList<>(sides)) {
            s.kill();
        }
        if (s3 != null) {
            s3.close();
        }
        if (kafka != null) {
            kafka.close();
        }
        // The data goes; the sides' logs stay for a look at what happened.
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                if (!(p.getParent().equals(dir) && p.toString().endsWith(".log")) && !p.equals(dir)) {
                    Files.deleteIfExists(p);
                }
            }
        }
        out.println("side logs kept in " + dir);
    }

    /** {@code bench state [--jobs N]}: prints the figures, one {@code name=value} per line. */
    public static void main(String[] args) throws Exception {
        if (org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
                instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.WARN);
        }
        int jobs = 1_000_000;
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--jobs")) {
                jobs = Integer.parseInt(args[i + 1]);
            }
        }
        // Other work on the machine shows in every figure: the load average frames the run.
        System.out.println("load_avg_start=" + loadAverage());
        try (StateBenchmark bench = new StateBenchmark(jobs, System.out)) {
            bench.run().forEach((k, v) -> System.out.println(k + "=" + v));
        }
        System.out.println("load_avg_end=" + loadAverage());
    }
}
