package io.photomaker.devtools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.photomaker.cli.ApiClient;
import io.photomaker.common.json.Json;
import io.photomaker.testkit.Await;
import io.photomaker.testkit.fixtures.SamplePortraits;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One job through the whole system over real HTTP: gateway, embedded Kafka, the S3 API server, the
 * state processor and a worker running the PhotoMaker pipeline on the tiny ONNX models.
 */
class EndToEndTest {
    private static EmbeddedStack stack;
    private static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        stack = EmbeddedStack.start(0, 1, null, Map.of());
        api = new ApiClient(URI.create(stack.url() + "/"), "");
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    /** GETs {@code path} until its JSON satisfies {@code done}; returns that JSON. */
    private static JsonNode awaitJson(String what, String path, java.util.function.Predicate<JsonNode> done) {
        return Await.value(what, Duration.ofSeconds(120), () -> {
            try {
                JsonNode j = api.get(path).body();
                return j != null && done.test(j) ? j : null;
            } catch (Exception e) {
                return null;
            }
        });
    }

    private static JsonNode awaitTerminal(String id) {
        return awaitJson("job " + id + " to end", "v1/jobs/" + id, j -> List.of("succeeded", "failed", "canceled",
                "expired").contains(j.path("status").asText()));
    }

    @Test
    void a_job_with_two_id_photos_yields_a_downloadable_png_of_the_requested_size() throws Exception {
        ObjectNode req = Json.mapper().createObjectNode();
        req.put("prompt", "a portrait of a man img wearing a red scarf");
        req.put("num_steps", 6);
        req.put("width", 192);
        req.put("height", 128);
        req.put("num_outputs", 1);
        req.put("seed", 3);
        ApiClient.Reply r = api.submitPhotos(Json.string(req), List.of(
                new ApiClient.Photo("one.jpg", SamplePortraits.jpeg(10, 200, 240)),
                new ApiClient.Photo("two.png", SamplePortraits.png(11, 200, 240))));
        assertEquals(202, r.status(), String.valueOf(r.body()));
        String id = r.body().path("id").asText();
        assertEquals("queued", r.body().path("status").asText());

        JsonNode job = awaitTerminal(id);
        assertEquals("succeeded", job.path("status").asText(), job.toString());
        assertEquals(6, job.path("progress").path("step").asInt());
        String url = job.path("outputs").get(0).path("url").asText();
        HttpResponse<byte[]> png = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build()
                .send(HttpRequest.newBuilder(URI.create(stack.url()).resolve(url)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, png.statusCode());
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png.body()));
        assertEquals(192, img.getWidth());
        assertEquals(128, img.getHeight());
        assertEquals(3, job.path("outputs").get(0).path("seed").asLong());
    }

    @Test
    void canceling_a_long_running_job_stops_it_before_its_last_step() throws Exception {
        ObjectNode req = Json.mapper().createObjectNode();
        req.put("prompt", "a woman img in a forest");
        req.put("num_steps", 100);
        // the largest job the API takes, so the tiny models still need seconds for it
        req.put("width", 2048);
        req.put("height", 2048);
        req.put("num_outputs", 4);
        ApiClient.Reply r = api.submitPhotos(Json.string(req),
                List.of(new ApiClient.Photo("a.png", SamplePortraits.png(1, 128, 128))));
        String id = r.body().path("id").asText();
        awaitJson("the job to run", "v1/jobs/" + id, j -> j.path("progress").path("step").asInt() >= 1);
        ApiClient.Reply cancel = api.post("v1/jobs/" + id + "/cancel");
        assertEquals(202, cancel.status(), String.valueOf(cancel.body()));
        assertEquals("requested", cancel.body().path("cancel").asText());
        JsonNode job = awaitTerminal(id);
        assertEquals("canceled", job.path("status").asText());
        assertTrue(job.path("progress").path("step").asInt() < 400, job.toString());
        System.out.println("canceled at step " + job.path("progress").path("step").asInt() + " of 400");
    }

    @Test
    void an_identity_is_encoded_once_by_a_worker_then_used_by_a_job_and_erased() throws Exception {
        ObjectNode create = Json.mapper().createObjectNode();
        create.put("name", "sample person");
        ApiClient.Reply created = api.postPhotos("v1/identities", Json.string(create), List.of(
                new ApiClient.Photo("a.png", SamplePortraits.png(21, 160, 200)),
                new ApiClient.Photo("b.jpg", SamplePortraits.jpeg(22, 160, 200))));
        assertEquals(202, created.status(), String.valueOf(created.body()));
        String identity = created.body().path("id").asText();
        JsonNode ready = awaitJson("identity " + identity + " to be ready", "v1/identities/" + identity,
                j -> "ready".equals(j.path("status").asText()));
        assertEquals(2, ready.path("embeddings").asInt());

        ObjectNode req = Json.mapper().createObjectNode();
        req.put("prompt", "a woman img on a mountain");
        req.put("num_steps", 4);
        req.put("width", 64);
        req.put("height", 64);
        req.put("num_outputs", 1);
        req.putArray("identity_ids").addObject().put("id", identity).put("weight", 3);
        ApiClient.Reply job = api.submitPhotos(Json.string(req), List.of());
        assertEquals(202, job.status(), String.valueOf(job.body()));
        assertEquals("succeeded", awaitTerminal(job.body().path("id").asText()).path("status").asText());

        assertEquals(204, api.delete("v1/identities/" + identity).status());
        assertEquals(404, api.get("v1/identities/" + identity).status());
    }
}
