package io.photomaker.devtools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.photomaker.cli.ApiClient;
import io.photomaker.common.json.Json;
import io.photomaker.common.model.ModelNames;
import io.photomaker.testkit.Await;
import io.photomaker.testkit.fixtures.SamplePortraits;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PhotoMaker V1 and V2 in one deployment, over real HTTP: the gateway serves both, each model's fleet (tiny
 * models, V1 with face models) takes its own jobs through Kafka and S3, V2 needs faces, and outputs carry their
 * identity check.
 */
class PhotoMakerV2EndToEndTest {
    private static EmbeddedStack stack;
    private static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        stack = EmbeddedStack.start(0, 1, null, Map.of(), ModelNames.ALL);
        api = new ApiClient(URI.create(stack.url() + "/"), "");
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    private static JsonNode awaitTerminal(String id) {
        return Await.value("job " + id + " to end", Duration.ofSeconds(120), () -> {
            try {
                JsonNode j = api.get("v1/jobs/" + id).body();
                return j != null && List.of("succeeded", "failed", "canceled", "expired")
                        .contains(j.path("status").asText()) ? j : null;
            } catch (Exception e) {
                return null;
            }
        });
    }

    private static ObjectNode request(String model) {
        ObjectNode req = Json.mapper().createObjectNode();
        req.put("prompt", "a photo of a woman img in a garden");
        req.put("num_steps", 3);
        req.put("width", 64);
        req.put("height", 64);
        req.put("seed", 5);
        req.put("num_outputs", 1); // the default is the reference demo's 2
        if (model != null) {
            req.put("model", model);
        }
        return req;
    }

    private static List<ApiClient.Photo> portraits() {
        return List.of(new ApiClient.Photo("one.png", SamplePortraits.png(31, 200, 250)),
                new ApiClient.Photo("two.jpg", SamplePortraits.jpeg(32, 200, 250)));
    }

    @Test
    void a_v2_job_runs_through_gateway_kafka_worker_and_s3() throws Exception {
        ApiClient.Reply r = api.submitPhotos(Json.string(request(ModelNames.V2)), portraits());
        assertEquals(202, r.status(), String.valueOf(r.body()));
        JsonNode job = awaitTerminal(r.body().path("id").asText());
        assertEquals("succeeded", job.path("status").asText(), job.toString());
        assertEquals(ModelNames.V2, job.path("model").asText());
        JsonNode output = job.path("outputs").get(0);
        assertEquals(1, output.path("generations").asInt());
        assertTrue(output.has("identity_similarity"), output.toString());
        assertEquals(1, job.path("generations_tried").asInt());
    }

    @Test
    void a_v1_job_with_an_identity_check_spends_its_regenerations() throws Exception {
        ObjectNode req = request(null);
        req.put("min_identity_similarity", 1.0);
        req.put("max_regenerations", 1);
        ApiClient.Reply r = api.submitPhotos(Json.string(req), portraits());
        assertEquals(202, r.status(), String.valueOf(r.body()));
        JsonNode job = awaitTerminal(r.body().path("id").asText());
        assertEquals("succeeded", job.path("status").asText(), job.toString());
        assertEquals(ModelNames.V1, job.path("model").asText());
        assertEquals(2, job.path("generations_tried").asInt(), job.toString());
    }

    @Test
    void a_v2_job_without_faces_fails_at_once_with_no_face_detected() throws Exception {
        ApiClient.Reply r = api.submitPhotos(Json.string(request(ModelNames.V2)), List.of(
                new ApiClient.Photo("a.png", SamplePortraits.pngWithoutFace(1, 200, 250))));
        JsonNode job = awaitTerminal(r.body().path("id").asText());
        assertEquals("failed", job.path("status").asText(), job.toString());
        assertEquals("no_face_detected", job.path("error").path("type").asText());
        assertFalse(job.path("error").path("retryable").asBoolean());
    }

    @Test
    void a_v2_identity_is_encoded_by_the_v2_fleet_and_used_by_a_v2_job() throws Exception {
        ObjectNode create = Json.mapper().createObjectNode();
        create.put("model", ModelNames.V2);
        ApiClient.Reply created = api.postPhotos("v1/identities", Json.string(create), portraits());
        assertEquals(202, created.status(), String.valueOf(created.body()));
        String identity = created.body().path("id").asText();
        JsonNode ready = Await.value("identity ready", Duration.ofSeconds(120), () -> {
            try {
                JsonNode j = api.get("v1/identities/" + identity).body();
                return j != null && "ready".equals(j.path("status").asText()) ? j : null;
            } catch (Exception e) {
                return null;
            }
        });
        assertEquals(ModelNames.V2, ready.path("model").asText());
        assertEquals(2, ready.path("embeddings").asInt());
        ObjectNode req = request(ModelNames.V2);
        req.putArray("identity_ids").addObject().put("id", identity).put("weight", 0);
        ApiClient.Reply r = api.submitPhotos(Json.string(req), List.of());
        assertEquals(202, r.status(), String.valueOf(r.body()));
        assertEquals("succeeded", awaitTerminal(r.body().path("id").asText()).path("status").asText());
    }
}
