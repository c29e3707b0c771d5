package io.photomaker.devtools.bench.submit;

import io.photomaker.common.storage.ObjectStore;
import io.photomaker.testkit.infra.EmbeddedKafka;
import io.photomaker.testkit.infra.EmbeddedS3;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Measures what the gateway costs on top of the raw infrastructure, on an embedded stack, with each party
 * in a JVM of its own as in production: this JVM holds Kafka, the S3 API server (file-backed, 127.0.0.1)
 * and the HTTP load generator; a {@link BenchSide} JVM runs a whole gateway process; another runs the raw
 * baseline, which puts the same four ~100 KB PNGs to S3 and produces one Kafka record per submission.
 * Separate JVMs keep each side's compiled code its own: in one JVM, alternating workloads kept
 * de-optimising the HTTP code both use.
 *
 * <p>Each side first warms up alone until the JIT compilers have finished with it, then both run in adjacent
 * pairs of rounds ({@link PairedRounds}): first each as fast as it can, then both paced at the same rate
 * (by default 85% of the gateway's mean), which compares their cost per submission at equal load: run flat out, the
 * faster side also gets the S3 server's and Kafka's fixed costs spread over more submissions. A round's CPU
 * is that of this JVM (less the load generator's thread) plus the active side's JVM. Then GET
 * /v1/jobs/{id} runs at 1000 requests/s (latency counted from each request's scheduled time). The last
 * lines are {@code submit_ratio=<baseline throughput / gateway throughput, median over pairs>},
 * {@code submit_cost_ratio=<gateway CPU / baseline CPU per submission at the same rate, median over pairs>}
 * and {@code get_p99_ms=<p99>}.
 */
public final class SubmitBenchmark implements AutoCloseable {
    private static final long WARMUP_MS = 5_000;
    private static final int MIN_WARMUP_ROUNDS = 6;
    private static final int MAX_WARMUP_ROUNDS = 60;
    /** Share of a CPU below which the JIT compilers count as done (see {@link #warmUp}). */
    private static final double JIT_QUIET = 0.05;
    private static final long ROUND_MS = 3_000;
    private static final int DEFAULT_ROUNDS = 8;
    /** The paced rounds' default rate, as a share of the gateway's mean closed-loop throughput. */
    private static final double DEFAULT_PACE = 0.85;
    private static final int GET_RATE = 1000;
    private static final long GET_MEASURE_MS = 10_000;
    private static final Duration RUN_TIMEOUT = Duration.ofMinutes(2);

    private final ObjectStore store;
    private final SideProcess gatewaySide;
    private final SideProcess baselineSide;
    private final GatewayLoad load;
    private final ClosedLoop gatewayLoop;
    private final boolean breakdown;
    private final double pace;

    private SubmitBenchmark(ObjectStore store, SideProcess gatewaySide, SideProcess baselineSide, GatewayLoad load,
                            boolean breakdown, double pace) {
        this.store = store;
        this.gatewaySide = gatewaySide;
        this.baselineSide = baselineSide;
        this.load = load;
        this.breakdown = breakdown;
        this.pace = pace;
        this.gatewayLoop = new ClosedLoop(BenchSide.IN_FLIGHT, () -> infraCpu() + gatewaySide.cpuNanos(), System.out);
    }

    @Override
    public void close() {
        gatewayLoop.close();
    }

    /**
     * Arguments: {@code --rounds N} (pairs of rounds, default 8), {@code --pace P} (the paced rounds' rate as a
     * share of the gateway's mean throughput, default 0.85), {@code --breakdown}.
     */
    public static void main(String[] args) throws Exception {
        List<String> options = Arrays.asList(args);
        int rounds = (int) option(options, "--rounds", DEFAULT_ROUNDS);
        if (rounds < 1 || rounds > 50) {
            throw new IllegalArgumentException("--rounds must be 1..50");
        }
        double pace = option(options, "--pace", DEFAULT_PACE);
        if (!(pace > 0.05 && pace <= 1)) {
            throw new IllegalArgumentException("--pace must be in (0.05, 1]");
        }
        quietLogs();
        long started = System.nanoTime();
        List<byte[]> photos = BenchSide.photos();
        System.out.printf(Locale.ROOT, "photos: %d PNGs of %s bytes; %d CPUs%n", photos.size(),
                Arrays.toString(photos.stream().mapToInt(p -> p.length).toArray()),
                Runtime.getRuntime().availableProcessors());
        Path logs = Files.createTempDirectory("photomaker-bench-logs");
        try (EmbeddedKafka kafka = EmbeddedKafka.start(2);
             TempDir s3Files = TempDir.create("photomaker-bench-s3");
             EmbeddedS3 s3 = EmbeddedS3.start(s3Files.path(), 0);
             ObjectStore store = new ObjectStore(s3.settings())) {
            store.ensureBucket().get(30, TimeUnit.SECONDS);
            Map<String, String> env = new HashMap<>(s3.environment());
            env.put("PM_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
            env.put("PM_TOPIC_PARTITIONS", Integer.toString(kafka.settings().partitions()));
            Map<String, String> gatewayEnv = new HashMap<>(env);
            gatewayEnv.putAll(BenchSide.gatewayEnvironment());
            System.out.println("side JVMs log to " + logs);
            try (SideProcess gateway = SideProcess.start("gateway", gatewayEnv, logs, System.out);
                 SideProcess baseline = SideProcess.start("baseline", env, logs, System.out);
                 GatewayLoad load = new GatewayLoad(port(gateway.readyLine()), photos);
                 SubmitBenchmark benchmark = new SubmitBenchmark(store, gateway, baseline, load,
                         options.contains("--breakdown"), pace)) {
                benchmark.run(rounds);
            }
        }
        System.out.printf(Locale.ROOT, "total time %.0f s%n", (System.nanoTime() - started) / 1e9);
        System.exit(0);
    }

    private void run(int rounds) throws Exception {
        warmUp("baseline");
        warmUp("gateway");
        PairedRounds pairs = new PairedRounds();
        measurePairs(pairs, rounds, 0);
        pairs.print(System.out);
        double ratio = pairs.throughputRatio();
        double rate = Math.floor(pairs.gatewayMeanThroughput() * pace);
        PairedRounds paced = new PairedRounds();
        measurePairs(paced, rounds, rate);
        double cost = paced.cpuRatio();
        System.out.printf(Locale.ROOT, "both paced at %.0f submissions/s: baseline %.2f ms, gateway %.2f ms CPU each"
                + " (medians), median pair ratio: submit_cost_ratio=%.2f%n", rate, paced.baselineCpuMs(),
                paced.gatewayCpuMs(), cost);

        List<String> targets = load.awaitReadable(500);
        awaitSettled();
        load.getLoad(targets, GET_RATE, 3_000);
        long[] latencies = load.getLoad(targets, GET_RATE, GET_MEASURE_MS);
        Arrays.sort(latencies);
        double p99 = latencies[(int) (latencies.length * 0.99)] / 1e6;
        System.out.printf(Locale.ROOT, "GET /v1/jobs/{id} at %d/s: n=%d p50=%.2f ms p99=%.2f ms max=%.2f ms%n",
                GET_RATE, latencies.length, latencies[latencies.length / 2] / 1e6, p99,
                latencies[latencies.length - 1] / 1e6);
        System.out.printf(Locale.ROOT, "submit_ratio=%.2f%n", ratio);
        System.out.printf(Locale.ROOT, "submit_cost_ratio=%.2f%n", cost);
        System.out.printf(Locale.ROOT, "get_p99_ms=%.2f%n", p99);
    }

    /** {@code rounds} adjacent pairs, alternating which side goes first; {@code rate} 0 runs unpaced. */
    private void measurePairs(PairedRounds pairs, int rounds, double rate) throws Exception {
        for (int round = 1; round <= rounds; round++) {
            boolean baselineFirst = round % 2 == 1;
            ClosedLoop.Round first = measured(baselineFirst ? "baseline" : "gateway", round, rate);
            ClosedLoop.Round second = measured(baselineFirst ? "gateway" : "baseline", round, rate);
            pairs.add(baselineFirst ? first : second, baselineFirst ? second : first);
        }
    }

    /**
     * Runs one side alone until compiled code has stopped arriving: until the JIT compiler threads of its
     * JVM and of this one together used less than {@value #JIT_QUIET} of a CPU in each of two rounds in a
     * row. Until then every round is cheaper than the last, in steps with plateaus between them, so
     * judging by the cost per submission alone stops too early.
     */
    private void warmUp(String side) throws Exception {
        SideProcess process = process(side);
        double[] jitShare = new double[MAX_WARMUP_ROUNDS];
        for (int i = 0; i < MAX_WARMUP_ROUNDS; i++) {
            long jit0 = jitNanos(process);
            long t0 = System.nanoTime();
            ClosedLoop.Round r = round(side, WARMUP_MS, 0);
            jitShare[i] = (jitNanos(process) - jit0) / (double) (System.nanoTime() - t0);
            System.out.printf(Locale.ROOT, "%s (JIT compilers: %.1f%% of a CPU)%n",
                    r.line("warm-up " + side + " " + (i + 1)), 100 * jitShare[i]);
            if (steady(jitShare, i + 1)) {
                System.out.printf(Locale.ROOT, "%s steady after %d warm-up rounds%n", side, i + 1);
                return;
            }
        }
        System.out.printf(Locale.ROOT, "%s still compiling after %d warm-up rounds%n", side, MAX_WARMUP_ROUNDS);
    }

    /**
     * Whether a warm-up whose first {@code n} rounds kept the JIT compilers busy for {@code jitShare[0..n)} of
     * a CPU is over: at least {@value #MIN_WARMUP_ROUNDS} rounds, the last two below {@value #JIT_QUIET}.
     */
    static boolean steady(double[] jitShare, int n) {
        return n >= MIN_WARMUP_ROUNDS && jitShare[n - 1] < JIT_QUIET && jitShare[n - 2] < JIT_QUIET;
    }

    /** CPU the JIT compiler threads of this JVM and of {@code side} have used so far. */
    private static long jitNanos(SideProcess side) {
        long own = JvmThreads.cpuByKind().getOrDefault(JvmThreads.JIT, 0L);
        String reply = side.call("jit", "jit", RUN_TIMEOUT);
        return own + Long.parseLong(reply.substring(4).trim());
    }

    private ClosedLoop.Round measured(String side, int round, double rate) throws Exception {
        CpuBreakdown before = breakdown ? CpuBreakdown.take(load.threadId()) : null;
        SideProcess process = process(side);
        SideProcess idle = process == gatewaySide ? baselineSide : gatewaySide;
        if (breakdown) {
            process.call("mark", "marked", RUN_TIMEOUT);
        }
        long idle0 = idle.cpuNanos();
        long t0 = System.nanoTime();
        ClosedLoop.Round r = round(side, ROUND_MS, rate);
        // The idle side's JVM is not counted; show that it really was idle (timers, polls, late compiles).
        double idleShare = (idle.cpuNanos() - idle0) / (double) (System.nanoTime() - t0);
        String label = (rate > 0 ? "paced " : "") + side + " round " + round;
        System.out.printf(Locale.ROOT, "%s (idle side's JVM used %.1f%% of a CPU)%n", r.line(label), 100 * idleShare);
        if (breakdown) {
            System.out.println("  this JVM (Kafka, S3 server, load generator shown apart):");
            CpuBreakdown.take(load.threadId()).print(before, r.done(), System.out);
            System.out.println("  " + side + " JVM:");
            process.call("report " + r.done(), "reported", RUN_TIMEOUT);
        }
        return r;
    }

    /** One round of a side (paced at {@code rate} unless 0), then the stored photos are deleted (outside it). */
    private ClosedLoop.Round round(String side, long millis, double rate) throws Exception {
        ClosedLoop.Round r;
        if (side.equals("gateway")) {
            r = gatewayLoop.run(side, load::submit, millis, rate);
        } else {
            long cpu0 = infraCpu() + baselineSide.cpuNanos();
            String command = String.format(Locale.ROOT, "run %d %.1f", millis, rate);
            String[] done = baselineSide.call(command, "done", RUN_TIMEOUT).split(" ");
            r = ClosedLoop.Round.of(Long.parseLong(done[1]), Double.parseDouble(done[2]),
                    infraCpu() + baselineSide.cpuNanos() - cpu0);
        }
        clear();
        return r;
    }

    private SideProcess process(String side) {
        return side.equals("gateway") ? gatewaySide : baselineSide;
    }

    /** CPU of this JVM (Kafka and the S3 server) without the load generator's thread. */
    private long infraCpu() {
        return ClosedLoop.processCpuNanosWithout(load.threadId());
    }

    /** The number after {@code name} in {@code options}, or {@code fallback} when it is not given. */
    static double option(List<String> options, String name, double fallback) {
        int at = options.indexOf(name);
        if (at < 0) {
            return fallback;
        }
        if (at + 1 >= options.size()) {
            throw new IllegalArgumentException(name + " needs a value");
        }
        try {
            return Double.parseDouble(options.get(at + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " needs a number, got " + options.get(at + 1));
        }
    }

    private static int port(String readyLine) {
        return Integer.parseInt(readyLine.substring(readyLine.indexOf("port=") + 5).trim());
    }

    /** Brokers and servers log a lot at start; the benchmark's own lines are what matters. */
    static void quietLogs() {
        if (org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)
                instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }

    /** Deletes every stored photo so the store stays small between rounds. */
    private void clear() throws Exception {
        while (store.deletePrefix("inputs/").get(60, TimeUnit.SECONDS) > 0) {
            // deletePrefix handles up to 1000 keys per call
        }
        System.gc();
    }

    /**
     * Waits until the gateway's count of queued jobs stops growing: the state processor works through the last
     * rounds' events for a few seconds after them, and GET latency is measured on a gateway serving GETs only.
     */
    private void awaitSettled() throws InterruptedException {
        long start = System.nanoTime();
        long deadline = start + TimeUnit.SECONDS.toNanos(120);
        String last = "";
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            String size = gatewaySide.call("queued", "queued", RUN_TIMEOUT);
            if (!size.equals(last)) {
                last = size;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince > TimeUnit.SECONDS.toNanos(2)) {
                break;
            }
            Thread.sleep(100);
        }
        System.out.printf(Locale.ROOT, "state %s jobs, settled after %.1f s%n", last,
                (System.nanoTime() - start) / 1e9);
    }

    /**
     * Where the S3 API server keeps its objects: files, as a real object store would, so the photos stored
     * during a round do not sit in a heap and make every garbage collection copy them.
     */
    private record TempDir(Path path) implements AutoCloseable {
        static TempDir create(String prefix) throws IOException {
            return new TempDir(Files.createTempDirectory(prefix));
        }

        @Override
        public void close() throws IOException {
            try (var paths = Files.walk(path)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
