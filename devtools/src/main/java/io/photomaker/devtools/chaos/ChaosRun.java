package io.photomaker.devtools.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.photomaker.cli.ApiClient;
import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.json.Json;
import io.photomaker.common.storage.ObjectKeys;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.devtools.cluster.ChildProcesses;
import io.photomaker.devtools.cluster.ProcessCluster;
import io.photomaker.testkit.fixtures.SamplePortraits;
import io.photomaker.testkit.models.TinyModelBuilder;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real multi-process failure run: Kafka in its own JVM, the S3 API server here, one gateway JVM (two in
 * the gateways scenario) and several worker JVMs. Jobs are submitted over HTTP while the scenario breaks
 * something — workers killed with SIGKILL and restarted, the broker process stopped and continued, S3
 * unreachable, or one of two gateways killed with SIGKILL (its share of the job state then answered by the
 * other from its standby copies, and every accepted job polled through that other gateway) —
 * then every accepted job is checked for exactly one readable outcome, reached by one execution: the
 * job-event history must show one worker outcome per job, each attempt started once and nothing started
 * after the outcome, and the S3 server must have seen each output written at most once per execution.
 * Workers are killed for the first
 * half of the run's timeout at most, then left alone: kills closer together than the group's session
 * timeout keep a departed member in every rebalance, so no partition is ever handed on; what the run
 * checks is that nothing is lost or doubled once the failures stop.
 */
final class ChaosRun implements AutoCloseable {
    /** What breaks during the run. */
    enum Scenario { WORKERS, BROKER, S3, GATEWAYS }

    /** Run size and timing. */
    record Options(Scenario scenario, int jobs, int workers, Duration outage, Duration killEvery, Duration timeout,
                   long seed) {
    }

    /**
     * The counts a run ends with, and the audit's findings: each job found run more than once and each job
     * that did not succeed, with why (also in the run's log).
     */
    record Report(int accepted, int succeeded, int failed, int lost, int duplicated, int rejected,
                  int rejectedWithoutRetryAfter, int kills, int executions, int outputWrites, List<String> findings) {
        String line() {
            return "accepted=" + accepted + " succeeded=" + succeeded + " failed=" + failed + " lost=" + lost
                    + " duplicated=" + duplicated;
        }

        /** The counts line followed by the findings, one a line. */
        String explained() {
            return findings.isEmpty() ? line() : line() + "\n" + String.join("\n", findings);
        }
    }

    private static final Set<String> TERMINAL = Set.of("succeeded", "failed", "canceled", "expired");

    private final Options opt;
    private final PrintStream log;
    private final Random random;
    private final List<Process> workers = new CopyOnWriteArrayList<>();
    private Map<String, String> workerEnv = new HashMap<>();
    private final AtomicInteger kills = new AtomicInteger();
    private final AtomicInteger workerIds = new AtomicInteger();
    private ProcessCluster cluster;
    private ApiClient api;
    /** Gateways submissions go to; the gateways scenario starts two and kills the first. */
    private final List<ApiClient> gateways = new CopyOnWriteArrayList<>();

    ChaosRun(Options opt, PrintStream log) throws Exception {
        this.opt = opt;
        this.log = log;
        this.random = new Random(opt.seed());
    }

    Report run() throws Exception {
        startSystem();
        List<String> accepted = new CopyOnWriteArrayList<>();
        AtomicInteger rejected = new AtomicInteger();
        AtomicInteger noRetryAfter = new AtomicInteger();
        Thread chaos = new Thread(() -> breakThings(accepted), "chaos");
        chaos.setDaemon(true);
        chaos.start();
        submitAll(accepted, rejected, noRetryAfter);
        Map<String, JsonNode> finals = awaitOutcomes(accepted);
        chaos.interrupt();
        chaos.join(60_000);
        return count(accepted, finals, rejected.get(), noRetryAfter.get());
    }

    private void startSystem() throws Exception {
        cluster = ProcessCluster.start("chaos", 4);
        Path models = cluster.dir().resolve("models");
        TinyModelBuilder.create().build(models);
        api = cluster.api();
        gateways.add(api);
        if (opt.scenario() == Scenario.GATEWAYS) {
            // The survivor answers every GET and the final count; the first gateway is the one killed.
            api = cluster.startGateway("gateway-2", cluster.dir().resolve("state-2")).api();
            gateways.add(api);
        }
        workerEnv = cluster.workerEnvironment();
        workerEnv.put("PM_MODELS_DIR", models.toString());
        workerEnv.put("PM_MAX_ATTEMPTS", "10");
        workerEnv.put("PM_RETRY_BASE_MS", "500");
        workerEnv.put("PM_RETRY_CAP_MS", "8000");
        for (int i = 0; i < opt.workers(); i++) {
            startWorker();
        }
        log.printf("chaos: %s, %d jobs, %d workers, logs in %s%n", opt.scenario(), opt.jobs(), opt.workers(),
                cluster.dir());
    }

    private void startWorker() throws Exception {
        Map<String, String> wEnv = new HashMap<>(workerEnv);
        wEnv.put("PM_WORKER_ID", "chaos-w" + workerIds.incrementAndGet());
        workers.add(cluster.children().start("worker", wEnv, "worker"));
    }

    private void submitAll(List<String> accepted, AtomicInteger rejected, AtomicInteger noRetryAfter)
            throws Exception {
        List<ApiClient.Photo> photos = List.of(
                new ApiClient.Photo("a.png", SamplePortraits.png(opt.seed(), 96, 112)),
                new ApiClient.Photo("b.jpg", SamplePortraits.jpeg(opt.seed() + 1, 96, 112)));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        for (int i = 0; i < opt.jobs(); i++) {
            int n = i;
            pool.submit(() -> submitOne(n, photos, accepted, rejected, noRetryAfter));
            Thread.sleep(opt.scenario() == Scenario.WORKERS ? 50 : 150);
        }
        pool.shutdown();
        pool.awaitTermination(10, TimeUnit.MINUTES);
        log.printf("chaos: %d accepted, %d rejected during the outage%n", accepted.size(), rejected.get());
    }

    private void submitOne(int n, List<ApiClient.Photo> photos, List<String> accepted, AtomicInteger rejected,
                           AtomicInteger noRetryAfter) {
        ObjectNode req = Json.mapper().createObjectNode();
        req.put("prompt", "a portrait of a woman img, chaos job " + n);
        req.put("num_steps", 4);
        req.put("width", 64);
        req.put("height", 64);
        req.put("num_outputs", 1);
        req.put("seed", n);
        try {
            ApiClient.Reply r = gateways.get(n % gateways.size()).submitPhotos(Json.string(req), photos);
            if (r.status() == 202 || r.status() == 200) {
                accepted.add(r.body().path("id").asText());
            } else if (r.status() == 503) {
                rejected.incrementAndGet();
                if (r.retryAfter() == null) {
                    noRetryAfter.incrementAndGet();
                }
            } else {
                log.printf("chaos: submit %d answered %d %s%n", n, r.status(), r.errorText());
                rejected.incrementAndGet();
                noRetryAfter.incrementAndGet();
            }
        } catch (Exception e) {
            log.printf("chaos: submit %d failed: %s%n", n, e);
            rejected.incrementAndGet();
            noRetryAfter.incrementAndGet();
        }
    }

    private void breakThings(List<String> accepted) {
        try {
            switch (opt.scenario()) {
                case WORKERS -> killWorkers();
                case BROKER -> {
                    awaitAccepted(accepted, opt.jobs() / 3);
                    log.println("chaos: stopping the broker process (SIGSTOP)");
                    ChildProcesses.signal(cluster.kafkaProcess(), "STOP");
                    Thread.sleep(opt.outage().toMillis());
                    ChildProcesses.signal(cluster.kafkaProcess(), "CONT");
                    log.println("chaos: broker continued (SIGCONT)");
                }
                case GATEWAYS -> {
                    awaitAccepted(accepted, opt.jobs() / 3);
                    log.println("chaos: killing the first gateway (SIGKILL) while submissions go on");
                    gateways.remove(0);
                    ChildProcesses.kill(cluster.gatewayProcess());
                }
                case S3 -> {
                    awaitAccepted(accepted, opt.jobs() / 3);
                    log.println("chaos: S3 unreachable");
                    cluster.s3().pause();
                    Thread.sleep(opt.outage().toMillis());
                    cluster.s3().resume();
                    log.println("chaos: S3 back");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            log.println("chaos: breaking failed: " + e);
        }
    }

    private void awaitAccepted(List<String> accepted, int n) throws InterruptedException {
        while (accepted.size() < n) {
            Thread.sleep(50);
        }
    }

    private void killWorkers() throws Exception {
        long stopAt = System.currentTimeMillis() + opt.timeout().toMillis() / 2;
        while (!Thread.currentThread().isInterrupted() && System.currentTimeMillis() < stopAt) {
            long mean = opt.killEvery().toMillis();
            Thread.sleep(mean / 2 + (long) (random.nextDouble() * mean));
            Process victim = workers.get(random.nextInt(workers.size()));
            ChildProcesses.kill(victim);
            workers.remove(victim);
            kills.incrementAndGet();
            startWorker();
        }
        log.printf("chaos: no more kills after %d; the fleet recovers from here%n", kills.get());
    }

    private Map<String, JsonNode> awaitOutcomes(List<String> accepted) throws Exception {
        Map<String, JsonNode> finals = new ConcurrentHashMap<>();
        long deadline = System.currentTimeMillis() + opt.timeout().toMillis();
        while (finals.size() < accepted.size() && System.currentTimeMillis() < deadline) {
            for (String id : accepted) {
                if (finals.containsKey(id)) {
                    continue;
                }
                try {
                    ApiClient.Reply r = api.get("v1/jobs/" + id);
                    if (r.status() == 200 && TERMINAL.contains(r.body().path("status").asText())) {
                        finals.put(id, r.body());
                    }
                } catch (Exception e) {
                    // gateway busy or restarting: ask again next round
                }
            }
            Thread.sleep(500);
        }
        return finals;
    }

    private Report count(List<String> accepted, Map<String, JsonNode> finals, int rejected, int noRetryAfter)
            throws Exception {
        int succeeded = 0;
        int failed = 0;
        int unreadable = 0;
        KafkaSettings kafka = new KafkaSettings(cluster.bootstrapServers(), 4, (short) 1);
        List<String> findings = new ArrayList<>();
        Set<String> doubled = new StateTopicAudit(kafka).jobsWithSeveralOutcomes(Set.copyOf(accepted));
        doubled.forEach(id -> finding(findings, "%s ran more than once: the state topic gave it several outcomes", id));
        Map<String, ExecutionAudit.Executions> executions = new ExecutionAudit(kafka).executions(Set.copyOf(accepted));
        int outputWrites = 0;
        try (ObjectStore store = new ObjectStore(cluster.s3().settings())) {
            for (String id : accepted) {
                ExecutionAudit.Executions runs = executions.getOrDefault(id, NOT_RUN);
                Map<String, Integer> writes = cluster.s3().writesUnder(ObjectKeys.outputPrefix(id));
                outputWrites += writes.values().stream().mapToInt(Integer::intValue).sum();
                if (runs.duplicated() || writes.values().stream().anyMatch(n -> n > runs.starts())) {
                    finding(findings, "%s ran more than once: %s, output writes %s", id, runs, writes);
                    doubled.add(id);
                }
                JsonNode job = finals.get(id);
                if (job == null) {
                    continue;
                }
                String status = job.path("status").asText();
                if (status.equals("succeeded")) {
                    succeeded++;
                    if (!readable(job)) {
                        unreadable++;
                    }
                    int stored = store.list(ObjectKeys.outputPrefix(id)).join().size();
                    if (stored != job.path("outputs").size()) {
                        finding(findings, "%s ran more than once: %d objects stored for %d outputs", id, stored,
                                job.path("outputs").size());
                        doubled.add(id);
                    }
                } else {
                    failed++;
                    finding(findings, "%s ended %s: %s", id, status, job.path("error"));
                }
            }
        }
        int lost = accepted.size() - finals.size() + unreadable;
        int started = executions.values().stream().mapToInt(ExecutionAudit.Executions::starts).sum();
        return new Report(accepted.size(), succeeded - unreadable, failed, lost, doubled.size(), rejected, noRetryAfter,
                kills.get(), started, outputWrites, List.copyOf(findings));
    }

    /** Logs one finding of the audit and keeps it for the report. */
    private void finding(List<String> findings, String format, Object... args) {
        String text = String.format(format, args);
        log.println("chaos: " + text);
        findings.add(text);
    }

    private static final ExecutionAudit.Executions NOT_RUN = new ExecutionAudit.Executions(0, Map.of(), 0, 0);

    private boolean readable(JsonNode job) {
        for (JsonNode o : job.path("outputs")) {
            try {
                String url = o.path("url").asText();
                byte[] png = api.fetch(url.startsWith("/") ? url.substring(1) : url);
                if (png.length < 8 || (png[1] != 'P' || png[2] != 'N' || png[3] != 'G')) {
                    return false;
                }
            } catch (Exception e) {
                return false;
            }
        }
        return job.path("outputs").size() > 0;
    }

    @Override
    public void close() {
        if (cluster != null) {
            cluster.close();
        }
    }
}
