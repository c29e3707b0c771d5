package io.photomaker.gateway.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.photomaker.common.json.Json;
import io.photomaker.gateway.support.ApiClient;
import io.photomaker.gateway.support.Multipart;
import io.photomaker.gateway.support.SharedInfra;
import io.photomaker.gateway.support.TestGateway;
import io.photomaker.gateway.support.TestImages;
import io.photomaker.testkit.Await;
import io.photomaker.testkit.http.RawHttp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IdempotencyTest {
    static final String TENANT = TestGateway.tenant("idem");
    static final String KEY = TestGateway.keyOf(TENANT);
    static TestGateway replicaA;
    static TestGateway replicaB;
    static final byte[] PNG = TestImages.png(64, 64, 61);

    @BeforeAll
    static void start() {
        replicaA = TestGateway.start(TestGateway.config(1000, 1000, TENANT));
        replicaB = TestGateway.start(TestGateway.config(1000, 1000, TENANT));
    }

    @AfterAll
    static void stop() {
        replicaA.close();
        replicaB.close();
    }

    private static Map<String, String> key(String k) {
        return ApiClient.headers("Idempotency-Key", k);
    }

    @Test
    void the_same_key_and_request_return_the_same_job() {
        String k = UUID.randomUUID().toString();
        ApiClient.Response first = replicaA.client().submit(KEY, key(k), TestGateway.GOOD_REQUEST, PNG);
        ApiClient.Response again = replicaA.client().submit(KEY, key(k), TestGateway.GOOD_REQUEST, PNG);

        assertEquals(202, first.status(), first.toString());
        assertEquals(202, again.status(), again.toString());
        assertEquals(first.json().get("id").asText(), again.json().get("id").asText());
        assertEquals("true", again.header("Idempotent-Replayed"));
    }

    @Test
    void a_retry_through_another_replica_finds_the_same_job() {
        String k = UUID.randomUUID().toString();
        String id = replicaA.client().submit(KEY, key(k), TestGateway.GOOD_REQUEST, PNG).json().get("id").asText();
        ApiClient.Response viaB = replicaB.client().submit(KEY, key(k), TestGateway.GOOD_REQUEST, PNG);
        assertEquals(id, viaB.json().get("id").asText(), viaB.toString());
    }

    @Test
    void a_get_through_another_replica_right_after_the_202_finds_the_job() {
        for (int i = 0; i < 5; i++) {
            String id = replicaA.client().submit(KEY, TestGateway.GOOD_REQUEST, PNG).json().get("id").asText();
            ApiClient.Response viaB = replicaB.client().get("/v1/jobs/" + id, KEY);
            assertEquals(200, viaB.status(), viaB.toString());
            assertEquals(id, viaB.json().get("id").asText());
        }
    }

    @Test
    void the_same_key_with_a_different_request_is_a_conflict() {
        String k = UUID.randomUUID().toString();
        replicaA.client().submit(KEY, key(k), TestGateway.GOOD_REQUEST, PNG);
        ApiClient.Response otherPrompt = replicaA.client().submit(KEY, key(k),
                TestGateway.requestJson("a photo of a man img"), PNG);
        ApiClient.Response otherPhoto = replicaB.client().submit(KEY, key(k), TestGateway.GOOD_REQUEST,
                TestImages.png(64, 64, 62));

        assertEquals(409, otherPrompt.status(), otherPrompt.toString());
        assertEquals("idempotency_conflict", otherPrompt.errorType());
        assertEquals(409, otherPhoto.status());
        assertEquals("idempotency_conflict", otherPhoto.errorType());
    }

    @Test
    void a_replay_of_a_finished_job_answers_200_with_the_job() {
        String k = UUID.randomUUID().toString();
        String id = replicaA.client().submit(KEY, key(k), TestGateway.GOOD_REQUEST, PNG).json().get("id").asText();
        replicaA.succeed(id, TestImages.png(64, 64, 63));
        replicaA.awaitRecord(id, r -> r.status().isTerminal());

        ApiClient.Response again = replicaA.client().submit(KEY, key(k), TestGateway.GOOD_REQUEST, PNG);
        assertEquals(200, again.status(), again.toString());
        assertEquals("succeeded", again.json().get("status").asText());
        assertEquals(id, again.json().get("id").asText());
    }

    @Test
    void the_mapping_is_stored_under_the_tenant_and_the_digest_of_the_key() throws Exception {
        String k = UUID.randomUUID().toString();
        String id = replicaA.client().submit(KEY, key(k), TestGateway.GOOD_REQUEST, PNG).json().get("id").asText();
        String objectKey = "idempotency/" + TENANT + "/" + ImageVerifier.sha256(k.getBytes());
        byte[] stored = SharedInfra.get().store().get(objectKey).get(10, TimeUnit.SECONDS);
        assertEquals(id, Json.read(stored, IdempotencyStore.Entry.class).jobId());
    }

    @Test
    void different_keys_make_different_jobs() {
        String a = replicaA.client().submit(KEY, key("k-" + UUID.randomUUID()), TestGateway.GOOD_REQUEST, PNG)
                .json().get("id").asText();
        String b = replicaA.client().submit(KEY, key("k-" + UUID.randomUUID()), TestGateway.GOOD_REQUEST, PNG)
                .json().get("id").asText();
        assertNotEquals(a, b);
    }

    @Test
    void the_same_key_while_the_first_request_is_still_being_read_is_in_use_and_free_again_once_it_broke_off() {
        String k = UUID.randomUUID().toString();
        var bodies = replicaA.gateway().services().limits().bodies();
        Multipart form = new Multipart();
        String head = "POST /v1/jobs HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + form.contentType()
                + "\r\nContent-Length: 1000000\r\nX-API-Key: " + KEY + "\r\nIdempotency-Key: " + k + "\r\n\r\n";
        try (RawHttp first = RawHttp.open(replicaA.port())) {
            first.send(head.getBytes(StandardCharsets.US_ASCII)).send(new byte[10]);
            // the body is read only after the key was taken, so bytes held for it mean the first request holds the key
            Await.until("the first body is being read", Duration.ofSeconds(20), () -> bodies.usedBytes() > 0);

            ApiClient.Response second = replicaA.client().submit(KEY, key(k), TestGateway.GOOD_REQUEST, PNG);
            assertEquals(409, second.status(), second.toString());
            assertEquals("idempotency_key_in_use", second.errorType());
            assertEquals("1", second.header("Retry-After"));
        }
        ApiClient.Response later = Await.value("the key to be free again", Duration.ofSeconds(20), () -> {
            ApiClient.Response r = replicaA.client().submit(KEY, key(k), TestGateway.GOOD_REQUEST, PNG);
            return r.status() == 409 ? null : r;
        });
        assertEquals(202, later.status(), later.toString());
    }
}
