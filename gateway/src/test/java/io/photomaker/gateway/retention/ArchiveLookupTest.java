package io.photomaker.gateway.retention;

import static io.photomaker.gateway.Fixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.common.config.S3Settings;
import io.photomaker.common.config.Settings;
import io.photomaker.common.job.JobIds;
import io.photomaker.common.job.JobStatus;
import io.photomaker.gateway.Fixtures;
import io.photomaker.gateway.GatewayProcess;
import io.photomaker.gateway.support.ApiClient;
import io.photomaker.gateway.support.SharedInfra;
import io.photomaker.gateway.support.TestGateway;
import io.photomaker.gateway.support.TestImages;
import io.photomaker.gateway.support.VerdictLog;
import io.photomaker.testkit.Await;
import io.photomaker.testkit.infra.EmbeddedKafka;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A gateway started from its settings, as in production, with a job retention of two seconds: once a finished
 * job has left the live state (its record tombstoned on the state topic), GET /v1/jobs/{id} answers from the
 * archive in the object store.
 */
class ArchiveLookupTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TENANT = TestGateway.tenant("archive");
    private static final String KEY = TestGateway.keyOf(TENANT);
    private static EmbeddedKafka kafka;
    private static GatewayProcess gateway;
    private static VerdictLog verdicts;
    private static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.start(3);
        S3Settings s3 = SharedInfra.get().s3();
        gateway = GatewayProcess.start(Settings.of(Map.ofEntries(
                Map.entry("PM_HTTP_HOST", "127.0.0.1"),
                Map.entry("PM_HTTP_PORT", "0"),
                Map.entry("PM_DEV_MODE", "true"),
                Map.entry("PM_API_KEYS", TENANT + ":" + KEY),
                Map.entry("PM_KAFKA_BOOTSTRAP", kafka.bootstrapServers()),
                Map.entry("PM_TOPIC_PARTITIONS", "3"),
                Map.entry("PM_S3_ENDPOINT", s3.endpoint().orElseThrow().toString()),
                Map.entry("PM_S3_REGION", s3.region()),
                Map.entry("PM_S3_BUCKET", s3.bucket()),
                Map.entry("PM_S3_ACCESS_KEY", s3.accessKey()),
                Map.entry("PM_S3_SECRET_KEY", s3.secretKey()),
                Map.entry("PM_S3_PATH_STYLE", "true"),
                Map.entry("PM_JOB_RETENTION_SECONDS", "2"),
                Map.entry("PM_STATE_DIR", Fixtures.tempDir("archive-lookup-state").toString()))));
        verdicts = new VerdictLog(kafka.settings(), "archive-lookup-view");
        api = new ApiClient(gateway.port());
    }

    @AfterAll
    static void stop() {
        if (verdicts != null) {
            verdicts.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void a_finished_job_that_left_the_live_state_is_still_answered_from_the_archive() throws Exception {
        ApiClient.Response accepted = Await.value("a submission the started gateway accepts", WAIT, () -> {
            ApiClient.Response r = api.submit(KEY, TestGateway.GOOD_REQUEST, TestImages.png(64, 64, 71));
            return r.status() == 202 ? r : null;
        });
        String id = accepted.json().get("id").asText();
        ApiClient.Response cancel = api.post("/v1/jobs/" + id + "/cancel", KEY);
        assertTrue(cancel.status() == 200 || cancel.status() == 202, cancel.toString());
        await(WAIT, () -> verdicts.get(id).map(r -> r.status() == JobStatus.CANCELED).orElse(false),
                () -> id + " canceled in the live state");

        await(WAIT, () -> verdicts.get(id).isEmpty(), () -> id + " removed from the live state");
        assertTrue(new ArchiveReader(SharedInfra.get().store()).find(id).get(10, TimeUnit.SECONDS).isPresent(),
                "the archive holds the record");

        ApiClient.Response got = api.get("/v1/jobs/" + id, KEY);
        assertEquals(200, got.status(), got.toString());
        assertEquals(id, got.json().get("id").asText());
        assertEquals("canceled", got.json().get("status").asText());
    }

    @Test
    void a_job_neither_live_nor_archived_is_not_found() {
        ApiClient.Response got = api.get("/v1/jobs/" + JobIds.newJobId(), KEY);
        assertEquals(404, got.status(), got.toString());
        assertEquals("not_found", got.errorType());
    }
}
