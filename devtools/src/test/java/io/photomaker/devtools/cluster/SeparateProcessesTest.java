package io.photomaker.devtools.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.photomaker.cli.ApiClient;
import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.event.EventType;
import io.photomaker.common.event.JobEvent;
import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.Topics;
import io.photomaker.gateway.GatewayMain;
import io.photomaker.testkit.Await;
import io.photomaker.testkit.fixtures.SamplePortraits;
import io.photomaker.testkit.kafka.TopicReader;
import io.photomaker.testkit.models.TinyModelBuilder;
import io.photomaker.worker.WorkerMain;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code photomaker infra}, one gateway and two worker processes cooperate: every job completes and the
 * two workers share the jobs. The gateway and the workers run from their production artifacts (jar +
 * lib/, as the images ship them) when the build has packaged them, which proves those class paths hold
 * all each process needs.
 */
class SeparateProcessesTest {
    @Test
    void one_gateway_and_two_worker_processes_from_their_own_artifacts_share_the_jobs() throws Exception {
        Path dir = Files.createTempDirectory("photomaker-processes");
        ProductionArtifact gatewayApp = ProductionArtifact.of("gateway");
        ProductionArtifact workerApp = ProductionArtifact.of("worker");
        System.out.println("running " + gatewayApp + " and " + workerApp);
        Path models = dir.resolve("tiny-models");
        TinyModelBuilder.create().build(models);
        try (ChildProcesses children = new ChildProcesses(dir)) {
            List<String> infra = new ArrayList<>();
            children.startAndAwait("infra", Map.of(), l -> l.contains("infra ready (Ctrl-C to stop)"), 120_000, infra,
                    "infra", "--partitions", "4");
            Map<String, String> env = new HashMap<>();
            for (String line : infra) {
                int eq = line.indexOf('=');
                if (line.startsWith("PM_") && eq > 0) {
                    env.put(line.substring(0, eq), line.substring(eq + 1));
                }
            }
            env.put("PM_STATE_DIR", dir.resolve("state").toString());
            env.put("PM_EXECUTION_PROVIDER", "cpu");
            env.put("PM_METRICS_PORT", "-1");
            Map<String, String> gwEnv = new HashMap<>(env);
            gwEnv.put("PM_HTTP_PORT", "0");
            gwEnv.put("PM_DEV_MODE", "true");
            List<String> gw = new ArrayList<>();
            children.startAndAwait("gateway", gwEnv, l -> l.stream().anyMatch(s -> s.startsWith("PM_GATEWAY_URL=")),
                    120_000, gw, ChildProcesses.java(gatewayApp.classpath(), GatewayMain.class.getName()));
            String url = gw.stream().filter(s -> s.startsWith("PM_GATEWAY_URL=")).findFirst().orElseThrow()
                    .substring("PM_GATEWAY_URL=".length());
            for (int i = 1; i <= 2; i++) {
                Map<String, String> w = new HashMap<>(env);
                w.put("PM_WORKER_ID", "proc-w" + i);
                w.put("PM_MODELS_DIR", models.toString());
                children.startAndAwait("worker" + i, w, l -> l.contains("worker ready"), 120_000, new ArrayList<>(),
                        ChildProcesses.java(workerApp.classpath(), WorkerMain.class.getName()));
            }
            ApiClient api = new ApiClient(URI.create(url + "/"), "");
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                ObjectNode req = Json.mapper().createObjectNode();
                req.put("prompt", "a man img with a hat, job " + i);
                req.put("num_steps", 6);
                req.put("width", 64);
                req.put("height", 64);
                req.put("num_outputs", 1);
                ApiClient.Reply r = api.submitPhotos(Json.string(req),
                        List.of(new ApiClient.Photo("p.png", SamplePortraits.png(i, 96, 96))));
                assertEquals(202, r.status(), String.valueOf(r.body()));
                ids.add(r.body().path("id").asText());
            }
            for (String id : ids) {
                Await.until(id + " to succeed", Duration.ofSeconds(180), () -> {
                    try {
                        return "succeeded".equals(api.get("v1/jobs/" + id).body().path("status").asText());
                    } catch (Exception e) {
                        return false;
                    }
                });
            }
            Set<String> workers = workersThatFinished(new KafkaSettings(env.get("PM_KAFKA_BOOTSTRAP"), 4, (short) 1),
                    new HashSet<>(ids));
            assertTrue(workers.containsAll(Set.of("proc-w1", "proc-w2")), "jobs were done by " + workers);
        }
    }

    private static Set<String> workersThatFinished(KafkaSettings kafka, Set<String> ids) {
        Set<String> workers = new HashSet<>();
        TopicReader.readAll(kafka, Topics.JOB_EVENTS, "audit", Duration.ofSeconds(60), r -> {
            JobEvent e = Json.read(r.value(), JobEvent.class);
            if (e.type() == EventType.SUCCEEDED && ids.contains(e.jobId())) {
                workers.add(e.workerId());
            }
        });
        return workers;
    }

}
