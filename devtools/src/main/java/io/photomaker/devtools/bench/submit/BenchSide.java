package io.photomaker.devtools.bench.submit;

import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.config.S3Settings;
import io.photomaker.common.config.Settings;
import io.photomaker.common.job.JobIds;
import io.photomaker.common.job.JobInput;
import io.photomaker.common.job.JobMessage;
import io.photomaker.common.job.JobRequest;
import io.photomaker.common.kafka.JobProducer;
import io.photomaker.common.storage.ObjectKeys;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.gateway.GatewayProcess;
import io.photomaker.gateway.submit.ImageVerifier;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * One side of the submit benchmark in a JVM of its own, pointed at the benchmark's Kafka and S3 by the
 * usual PM_* environment: {@code gateway} runs a whole gateway process (HTTP API, state processor,
 * lifecycle services) that the coordinator loads over HTTP; {@code baseline} is the raw client, which puts
 * the photos and produces one record per submission itself. Each answers commands on stdin, one per line,
 * with lines starting {@value #REPLY} on stdout (anything else there is logging):
 * <ul>
 *   <li>{@code run MILLIS [RATE]} (baseline): a closed-loop round, paced at RATE submissions a second when
 *   given; answers {@code done N SECONDS}</li>
 *   <li>{@code mark}, {@code report N}: CPU of this JVM by thread group since the mark, per operation</li>
 *   <li>{@code jit}: CPU nanoseconds this JVM's JIT compiler threads have used</li>
 *   <li>{@code queued} (gateway): the queued jobs its state processor holds; {@code quit}</li>
 * </ul>
 */
public final class BenchSide {
    static final String REPLY = "@bench ";
    static final int PHOTOS = 4;
    static final int PHOTO_BYTES = 100_000;
    static final int IN_FLIGHT = 16;

    private final PrintStream out;
    private CpuBreakdown mark;

    private BenchSide(PrintStream out) {
        this.out = out;
    }

    /** The environment that makes a gateway process fit for the benchmark: dev mode, any port, no limits. */
    static Map<String, String> gatewayEnvironment() {
        return Map.of("PM_DEV_MODE", "true", "PM_HTTP_PORT", "0", "PM_RATE_LIMIT_PER_MINUTE", "1000000",
                "PM_MAX_CONCURRENT_JOBS", "1000000");
    }

    /** Argument: {@code gateway} or {@code baseline}. */
    public static void main(String[] args) throws Exception {
        SubmitBenchmark.quietLogs();
        Settings settings = Settings.fromEnvironment(Map.of());
        BenchSide side = new BenchSide(System.out);
        if (args.length == 1 && args[0].equals("gateway")) {
            try (GatewayProcess gateway = GatewayProcess.start(settings)) {
                side.reply("ready port=" + gateway.port());
                side.serve(null, () -> (int) gateway.gateway().services().processor().gauges().queued());
            }
        } else if (args.length == 1 && args[0].equals("baseline")) {
            List<byte[]> photos = photos();
            try (ObjectStore store = new ObjectStore(S3Settings.from(settings));
                 JobProducer producer = new JobProducer(KafkaSettings.from(settings), "bench-baseline")) {
                side.reply("ready");
                side.serve(() -> rawSubmission(store, producer, photos), () -> -1);
            }
        } else {
            throw new IllegalArgumentException("usage: BenchSide gateway|baseline");
        }
        System.exit(0);
    }

    /** The benchmark's ID photos: four ~100 KB PNGs of noise, the same in every JVM. */
    static List<byte[]> photos() {
        List<byte[]> photos = new ArrayList<>();
        for (int i = 0; i < PHOTOS; i++) {
            photos.add(NoiseImages.png(PHOTO_BYTES, 42 + i));
        }
        return photos;
    }

    private void serve(Supplier<CompletableFuture<?>> op, Supplier<Integer> queued) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (ClosedLoop loop = new ClosedLoop(IN_FLIGHT, ClosedLoop::processCpuNanos, System.err)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!answer(line.trim().split(" "), loop, op, queued)) {
                    return;
                }
            }
        }
    }

    /** Carries out one command; false for {@code quit}. */
    private boolean answer(String[] cmd, ClosedLoop loop, Supplier<CompletableFuture<?>> op,
                           Supplier<Integer> queued) throws Exception {
        switch (cmd[0]) {
            case "run" -> {
                if (op == null) {
                    throw new IllegalStateException("the gateway side is loaded over HTTP, not by 'run'");
                }
                long t0 = System.nanoTime();
                double rate = cmd.length > 2 ? Double.parseDouble(cmd[2]) : 0;
                ClosedLoop.Round r = loop.run("baseline", op, Long.parseLong(cmd[1]), rate);
                reply(String.format(Locale.ROOT, "done %d %.4f", r.done(), (System.nanoTime() - t0) / 1e9));
            }
            case "mark" -> {
                mark = CpuBreakdown.take(-1);
                reply("marked");
            }
            case "report" -> {
                CpuBreakdown.take(-1).print(mark, Long.parseLong(cmd[1]), out);
                reply("reported");
            }
            case "queued" -> reply("queued " + queued.get());
            case "jit" -> reply("jit " + JvmThreads.cpuByKind().getOrDefault(JvmThreads.JIT, 0L));
            case "quit" -> {
                return false;
            }
            default -> throw new IllegalArgumentException("unknown command: " + String.join(" ", cmd));
        }
        return true;
    }

    private void reply(String s) {
        out.println(REPLY + s);
        out.flush();
    }

    private static CompletableFuture<?> rawSubmission(ObjectStore store, JobProducer producer, List<byte[]> photos) {
        String id = JobIds.newJobId();
        List<CompletableFuture<Void>> puts = new ArrayList<>();
        List<JobInput> inputs = new ArrayList<>();
        for (int i = 0; i < photos.size(); i++) {
            String key = ObjectKeys.input(id, i, "png");
            puts.add(store.put(key, photos.get(i), "image/png"));
            inputs.add(new JobInput(key, ImageVerifier.sha256(photos.get(i)), "image/png"));
        }
        JobRequest request = new JobRequest("a photo of a woman img", null, null, 20, null, null, null, 1L, 512, 512,
                1, null, null, null, null, null).withDefaults(1);
        JobMessage job = new JobMessage(id, "bench", request, inputs, JobIds.createdAt(id), 0, 1);
        return CompletableFuture.allOf(puts.toArray(CompletableFuture[]::new))
                .thenCompose(v -> producer.enqueue(job, new RecordHeaders()));
    }
}
