package io.photomaker.devtools.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.photomaker.cli.ApiClient;
import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.KafkaClients;
import io.photomaker.common.kafka.Topics;
import io.photomaker.devtools.cluster.ChildProcesses;
import io.photomaker.devtools.cluster.ProcessCluster;
import io.photomaker.testkit.fixtures.SamplePortraits;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * Throughput against fleet size on this machine: Kafka in its own JVM, the S3 API server here, one gateway
 * JVM, then 1, 2 and 4 worker JVMs on the tiny models (CPU provider). For each fleet it warms the workers
 * up, submits a batch of small jobs over HTTP and measures jobs per second from the first submission to
 * the last job's finish time.
 */
final class ScaleRun implements AutoCloseable {
    /** What one run measures. */
    record Options(int jobs, List<Integer> fleets, int size, int steps, Duration roundTimeout) {
    }

    /** One fleet size's result. */
    record Round(int workers, int jobs, int succeeded, double seconds, double meanLatencySeconds) {
        double jobsPerSecond() {
            return seconds <= 0 ? 0 : succeeded / seconds;
        }

        String line() {
            return String.format(Locale.ROOT, "workers=%d jobs_per_s=%.2f", workers, jobsPerSecond());
        }
    }

    private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "canceled", "expired");
    private static final int PARTITIONS = 4;

    private final Options opt;
    private final PrintStream log;
    private final List<ApiClient.Photo> photos;
    private ProcessCluster cluster;
    private ApiClient api;
    private int seq;

    ScaleRun(Options opt, PrintStream log) throws Exception {
        this.opt = opt;
        this.log = log;
        this.photos = List.of(new ApiClient.Photo("a.jpg", SamplePortraits.jpeg(3, 160, 200)),
                new ApiClient.Photo("b.png", SamplePortraits.png(4, 160, 200)));
    }

    List<Round> run() throws Exception {
        startSystem();
        List<Round> rounds = new ArrayList<>();
        for (int n : opt.fleets()) {
            List<Process> fleet = startWorkers(n);
            try {
                awaitGroup(n);
                batch(Math.max(4, 2 * n), "warm-up");
                Round r = measure(n);
                log.printf(Locale.ROOT, "scale: %d workers: %d/%d jobs in %.1f s%n", n, r.succeeded(), r.jobs(),
                        r.seconds());
                rounds.add(r);
            } finally {
                stop(fleet);
            }
        }
        return rounds;
    }

    private void startSystem() throws Exception {
        cluster = ProcessCluster.start("scale", PARTITIONS);
        api = cluster.api();
        log.printf("scale: Kafka (%d partitions), S3, gateway up; logs in %s%n", PARTITIONS, cluster.dir());
    }

    private List<Process> startWorkers(int n) throws Exception {
        List<Process> fleet = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, String> wEnv = cluster.workerEnvironment();
            wEnv.put("PM_WORKER_ID", "scale-" + n + "-w" + (i + 1));
            fleet.add(cluster.children().start("worker", wEnv, "worker", "--tiny"));
        }
        return fleet;
    }

    /** Waits until {@code n} workers are in the group and each owns a partition of the job queue. */
    private void awaitGroup(int n) throws Exception {
        KafkaSettings kafka = new KafkaSettings(cluster.bootstrapServers(), PARTITIONS, (short) 1);
        long deadline = System.currentTimeMillis() + 180_000;
        try (Admin admin = Admin.create(KafkaClients.admin(kafka))) {
            while (true) {
                ConsumerGroupDescription g = describeGroup(admin);
                if (g != null && g.members().size() == n && g.members().stream().allMatch(ScaleRun::ownsJobs)) {
                    return;
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException(n + " workers did not join the group; see " + cluster.dir());
                }
                Thread.sleep(250);
            }
        }
    }

    /** The worker group as the broker sees it; null until its first member has joined. */
    private static ConsumerGroupDescription describeGroup(Admin admin) throws Exception {
        try {
            return admin.describeConsumerGroups(List.of(Topics.WORKER_GROUP)).all().get(20, TimeUnit.SECONDS)
                    .get(Topics.WORKER_GROUP);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return null;
            }
            throw e;
        }
    }

    private static boolean ownsJobs(MemberDescription m) {
        return m.assignment().topicPartitions().stream().anyMatch(tp -> tp.topic().equals(Topics.JOBS));
    }

    private Round measure(int workers) throws Exception {
        long t0 = System.currentTimeMillis();
        Map<String, JsonNode> finals = batch(opt.jobs(), "measured");
        int succeeded = 0;
        long last = t0;
        double latency = 0;
        for (JsonNode job : finals.values()) {
            if (job.path("status").asText().equals("succeeded")) {
                succeeded++;
                long finished = Instant.parse(job.path("finished_at").asText()).toEpochMilli();
                last = Math.max(last, finished);
                latency += finished - Instant.parse(job.path("created_at").asText()).toEpochMilli();
            }
        }
        return new Round(workers, opt.jobs(), succeeded, (last - t0) / 1000.0,
                succeeded == 0 ? 0 : latency / succeeded / 1000.0);
    }

    /** Submits {@code count} jobs from four client threads and returns each job's final record. */
    private Map<String, JsonNode> batch(int count, String what) throws Exception {
        List<String> ids = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int i = 0; i < count; i++) {
                int n = seq++;
                pool.submit(() -> ids.add(submit(n)));
            }
        } finally {
            pool.shutdown();
        }
        if (!pool.awaitTermination(2, TimeUnit.MINUTES) || ids.contains(null)) {
            throw new IllegalStateException(what + " submissions failed; see " + cluster.dir());
        }
        return awaitFinals(List.copyOf(ids), what);
    }

    private String submit(int n) {
        ObjectNode req = Json.mapper().createObjectNode();
        req.put("prompt", "a portrait of a woman img, scale job " + n);
        req.put("num_steps", opt.steps());
        req.put("width", opt.size());
        req.put("height", opt.size());
        req.put("num_outputs", 1);
        req.put("seed", n);
        try {
            ApiClient.Reply r = api.submitPhotos(Json.string(req), photos);
            if (r.status() != 202 && r.status() != 200) {
                log.printf("scale: submission %d answered %s%n", n, r.errorText());
                return null;
            }
            return r.body().path("id").asText();
        } catch (Exception e) {
            log.printf("scale: submission %d failed: %s%n", n, e);
            return null;
        }
    }

    private Map<String, JsonNode> awaitFinals(List<String> ids, String what) throws Exception {
        Map<String, JsonNode> finals = new ConcurrentHashMap<>();
        long deadline = System.currentTimeMillis() + opt.roundTimeout().toMillis();
        while (finals.size() < ids.size()) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException(what + " jobs did not finish within " + opt.roundTimeout().toSeconds()
                        + " s (" + finals.size() + "/" + ids.size() + "); see " + cluster.dir());
            }
            for (String id : ids) {
                if (!finals.containsKey(id)) {
                    ApiClient.Reply r = api.get("v1/jobs/" + id);
                    if (r.status() == 200 && TERMINAL.contains(r.body().path("status").asText())) {
                        finals.put(id, r.body());
                    }
                }
            }
            Thread.sleep(100);
        }
        return finals;
    }

    private static void stop(List<Process> fleet) throws Exception {
        for (Process p : fleet) {
            ChildProcesses.signal(p, "TERM");
        }
        for (Process p : fleet) {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                ChildProcesses.kill(p);
            }
        }
    }

    /** The rounds as a table, with each fleet's speed-up over the first. */
    static String table(List<Round> rounds) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-8s %6s %10s %9s %10s %8s %14s%n",
                "workers", "jobs", "succeeded", "seconds", "jobs/s", "speedup", "mean_latency_s"));
        double base = rounds.isEmpty() ? 0 : rounds.get(0).jobsPerSecond();
        for (Round r : rounds) {
            b.append(String.format(Locale.ROOT, "%-8d %6d %10d %9.1f %10.2f %7.2fx %14.2f%n", r.workers(), r.jobs(),
                    r.succeeded(), r.seconds(), r.jobsPerSecond(), base == 0 ? 0 : r.jobsPerSecond() / base,
                    r.meanLatencySeconds()));
        }
        return b.toString();
    }

    @Override
    public void close() {
        if (cluster != null) {
            cluster.close();
        }
    }
}
