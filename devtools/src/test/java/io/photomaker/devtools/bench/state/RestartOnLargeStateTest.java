package io.photomaker.devtools.bench.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.common.config.Settings;
import io.photomaker.gateway.GatewayProcess;
import io.photomaker.gateway.state.RestoreProgress;
import io.photomaker.testkit.infra.EmbeddedKafka;
import io.photomaker.testkit.infra.EmbeddedS3;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A gateway starting on a large job state (tens of thousands of jobs in its stores' changelogs, nothing on its
 * disk) says it is not ready while it restores them, and once it says it is, every job is there.
 */
class RestartOnLargeStateTest {
    private static final int JOBS = 40_000;

    @Test
    void a_gateway_restoring_a_large_state_is_not_ready_until_every_store_is_restored() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.start(4);
             EmbeddedS3 s3 = EmbeddedS3.start()) {
            List<String> ids;
            try (StateSeeder seeder = new StateSeeder(kafka.settings())) {
                seeder.createTopics();
                ids = seeder.seed(JOBS);
            }
            Map<String, String> env = new HashMap<>(s3.environment());
            env.put("PM_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
            env.put("PM_TOPIC_PARTITIONS", "4");
            env.put("PM_DEV_MODE", "true");
            env.put("PM_HTTP_PORT", "0");
            env.put("PM_STATE_DIR", Files.createTempDirectory("restart-state").toString());
            try (GatewayProcess gw = GatewayProcess.start(Settings.of(env))) {
                HttpClient http = HttpClient.newHttpClient();
                URI ready = URI.create("http://127.0.0.1:" + gw.managementPort() + "/readyz");
                RestoreProgress restore = gw.gateway().services().processor().restoreProgress();
                List<String> notReady = new ArrayList<>();
                long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(3);
                HttpResponse<String> r;
                while ((r = http.send(HttpRequest.newBuilder(ready).GET().build(),
                        HttpResponse.BodyHandlers.ofString())).statusCode() == 503) {
                    notReady.add(r.body());
                    assertTrue(System.nanoTime() < deadline, "never became ready: " + r.body());
                    // polling interval of the readiness check, not a guess at how long restoring takes
                    Thread.sleep(20);
                }
                assertEquals(200, r.statusCode(), r.body());
                long restoredWhenReady = restore.restored();

                assertTrue(!notReady.isEmpty(), "a gateway with a large state to restore cannot be ready at once");
                assertTrue(notReady.stream().anyMatch(b -> b.contains("job state")), notReady.get(0));
                assertTrue(restoredWhenReady >= JOBS, "ready after restoring " + restoredWhenReady + " records of "
                        + "more than " + JOBS);
                for (String id : List.of(ids.get(0), ids.get(JOBS / 2), ids.get(JOBS - 1))) {
                    assertTrue(gw.gateway().services().processor().stores().record(id, -1, false).isPresent(),
                            id + " is in the restored store");
                }
            }
        }
    }
}
