package io.photomaker.devtools.cluster;

import io.photomaker.cli.ApiClient;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.testkit.infra.EmbeddedS3;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The shared base of multi-process runs (chaos, scaling): Kafka in its own JVM, the S3 API server in
 * this one (so it can be paused), and one gateway JVM in dev mode without limits; workers are started
 * by the caller with {@link #workerEnvironment()}.
 */
public final class ProcessCluster implements AutoCloseable {
    private final Path dir;
    private final ChildProcesses children;
    private final Map<String, String> env = new HashMap<>();
    private Process kafka;
    private Process gateway;
    private EmbeddedS3 s3;
    private ApiClient api;

    private ProcessCluster(Path dir) {
        this.dir = dir;
        this.children = new ChildProcesses(dir);
    }

    /** Starts Kafka with {@code partitions} per topic, S3 and a gateway; logs go to a new temporary folder. */
    public static ProcessCluster start(String name, int partitions) throws Exception {
        ProcessCluster c = new ProcessCluster(Files.createTempDirectory("photomaker-" + name + "-"));
        try {
            c.boot(partitions);
            return c;
        } catch (Exception | Error e) {
            c.close();
            throw e;
        }
    }

    private void boot(int partitions) throws Exception {
        List<String> kafkaLines = new ArrayList<>();
        kafka = children.startAndAwait("kafka", Map.of(), l -> l.contains("infra ready (Ctrl-C to stop)"),
                120_000, kafkaLines, "infra", "--only", "kafka", "--partitions", Integer.toString(partitions));
        s3 = EmbeddedS3.start(dir.resolve("s3"), 0);
        try (ObjectStore store = new ObjectStore(s3.settings())) {
            store.ensureBucket().join();
        }
        env.put("PM_KAFKA_BOOTSTRAP", valueOf(kafkaLines, "PM_KAFKA_BOOTSTRAP"));
        env.put("PM_TOPIC_PARTITIONS", Integer.toString(partitions));
        env.putAll(s3.environment());
        env.put("PM_EXECUTION_PROVIDER", "cpu");
        Gateway first = startGateway("gateway", dir.resolve("state"));
        gateway = first.process();
        api = first.api();
    }

    /** A gateway process of this cluster and its API. */
    public record Gateway(Process process, ApiClient api) {
    }

    /**
     * Starts another gateway JVM (dev mode, no limits) with its own state directory; it joins the first one's
     * state processor group and shares the job state with it.
     */
    public Gateway startGateway(String name, Path stateDir) throws Exception {
        Map<String, String> gwEnv = new HashMap<>(env);
        gwEnv.put("PM_STATE_DIR", stateDir.toString());
        gwEnv.put("PM_DEV_MODE", "true");
        gwEnv.put("PM_HTTP_PORT", "0");
        gwEnv.put("PM_RATE_LIMIT_PER_MINUTE", "1000000");
        gwEnv.put("PM_MAX_CONCURRENT_JOBS", "1000000");
        List<String> gwLines = new ArrayList<>();
        Process p = children.startAndAwait(name, gwEnv, l -> l.stream().anyMatch(s -> s.startsWith("PM_GATEWAY_URL=")),
                120_000, gwLines, "gateway");
        String url = valueOf(gwLines, "PM_GATEWAY_URL");
        return new Gateway(p, new ApiClient(URI.create(url.endsWith("/") ? url : url + "/"), ""));
    }

    /** The first gateway's process. */
    public Process gatewayProcess() {
        return gateway;
    }

    private static String valueOf(List<String> lines, String name) {
        return lines.stream().filter(l -> l.startsWith(name + "=")).findFirst()
                .orElseThrow(() -> new IllegalStateException("no " + name + " line")).substring(name.length() + 1);
    }

    /** Settings a worker process needs to join (add PM_WORKER_ID and model settings). */
    public Map<String, String> workerEnvironment() {
        Map<String, String> w = new HashMap<>(env);
        w.put("PM_METRICS_PORT", "-1");
        w.put("PM_DRAIN_SECONDS", "5");
        return w;
    }

    public String bootstrapServers() {
        return env.get("PM_KAFKA_BOOTSTRAP");
    }

    public Path dir() {
        return dir;
    }

    public ChildProcesses children() {
        return children;
    }

    public ApiClient api() {
        return api;
    }

    public EmbeddedS3 s3() {
        return s3;
    }

    public Process kafkaProcess() {
        return kafka;
    }

    @Override
    public void close() {
        children.close();
        if (s3 != null) {
            s3.close();
        }
    }
}
