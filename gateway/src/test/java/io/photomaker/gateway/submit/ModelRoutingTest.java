package io.photomaker.gateway.submit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.photomaker.common.job.JobMessage;
import io.photomaker.common.job.JobOutput;
import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.KafkaClients;
import io.photomaker.common.kafka.Topics;
import io.photomaker.common.model.ModelNames;
import io.photomaker.gateway.models.ServedModels;
import io.photomaker.gateway.support.ApiClient;
import io.photomaker.gateway.support.SharedInfra;
import io.photomaker.gateway.support.TestGateway;
import io.photomaker.gateway.support.TestImages;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Jobs naming a model: routed to that model's work queue, refused at submit when no fleet serves it. */
class ModelRoutingTest {
    static final String TENANT = TestGateway.tenant("models");
    static final String KEY = TestGateway.keyOf(TENANT);
    static TestGateway both;
    static TestGateway v1Only;

    @BeforeAll
    static void start() {
        both = TestGateway.start(TestGateway.config(1000, 1000, TENANT)
                .withModels(new ServedModels(List.of(ModelNames.V1, ModelNames.V2), ModelNames.V2)));
        v1Only = TestGateway.start(TestGateway.config(1000, 1000, TENANT));
    }

    @AfterAll
    static void stop() {
        both.close();
        v1Only.close();
    }

    private static String request(String extra) {
        return "{\"prompt\":\"a photo of a woman img\",\"num_steps\":4,\"width\":64,\"height\":64,\"seed\":1" + extra + "}";
    }

    @Test
    void a_job_naming_a_model_goes_to_that_models_work_queue_and_shows_its_model() {
        ApiClient.Response r = both.client().submit(KEY, request(",\"model\":\"photomaker-v1\""), TestImages.png(64, 64, 1));
        assertEquals(202, r.status(), r.toString());
        String id = r.json().get("id").asText();
        assertEquals(ModelNames.V1, workItem(Topics.JOBS, id).orElseThrow().request().model());
        both.awaitRecord(id, x -> true);
        assertEquals(ModelNames.V1, both.client().get("/v1/jobs/" + id, KEY).json().get("model").asText());
    }

    @Test
    void a_job_naming_no_model_runs_on_the_operators_default() {
        ApiClient.Response r = both.client().submit(KEY, request(""), TestImages.png(64, 64, 2));
        assertEquals(202, r.status(), r.toString());
        String id = r.json().get("id").asText();
        JobMessage item = workItem(Topics.jobsFor(ModelNames.V2), id).orElseThrow();
        assertEquals("photomaker.jobs.photomaker-v2", Topics.jobsFor(ModelNames.V2));
        assertEquals(ModelNames.V2, item.request().model());
    }

    @Test
    void a_model_no_fleet_serves_is_refused_at_submit() {
        ApiClient.Response notServed = v1Only.client().submit(KEY, request(",\"model\":\"photomaker-v2\""),
                TestImages.png(64, 64, 3));
        assertEquals(400, notServed.status(), notServed.toString());
        assertEquals("model_not_served", notServed.json().at("/error/type").asText());
        assertEquals("model", notServed.json().at("/error/field").asText());
        assertTrue(notServed.json().at("/error/message").asText().contains("photomaker-v1"), notServed.toString());
        ApiClient.Response unknown = both.client().submit(KEY, request(",\"model\":\"photomaker-v3\""),
                TestImages.png(64, 64, 3));
        assertEquals(400, unknown.status(), unknown.toString());
        assertEquals("unknown_model", unknown.json().at("/error/type").asText());
    }

    @Test
    void a_v2_prompt_is_measured_with_two_class_tokens_per_photo() {
        // the class word is token 74: two copies of it (two photos, V1) fit the 77-token window, four (V2) do not
        // (no style: the default style's template would put words in front of the prompt)
        String late = "{\"prompt\":\"" + "word ".repeat(72) + "a man img\",\"num_steps\":4,\"width\":64,"
                + "\"height\":64,\"style\":\"(No style)\",\"model\":\"";
        ApiClient.Response v1 = both.client().submit(KEY, late + "photomaker-v1\"}", TestImages.png(64, 64, 8),
                TestImages.png(64, 64, 9));
        assertEquals(202, v1.status(), v1.toString());
        ApiClient.Response v2 = both.client().submit(KEY, late + "photomaker-v2\"}", TestImages.png(64, 64, 8),
                TestImages.png(64, 64, 9));
        assertEquals(400, v2.status(), v2.toString());
        assertEquals("prompt_too_long", v2.json().at("/error/type").asText());
    }

    @Test
    void identity_check_fields_are_range_checked_and_regenerations_need_a_minimum() {
        ApiClient.Response tooHigh = both.client().submit(KEY, request(",\"min_identity_similarity\":1.5"),
                TestImages.png(64, 64, 4));
        assertEquals(400, tooHigh.status(), tooHigh.toString());
        assertEquals("min_identity_similarity", tooHigh.json().at("/error/field").asText());
        ApiClient.Response alone = both.client().submit(KEY, request(",\"max_regenerations\":2"), TestImages.png(64, 64, 4));
        assertEquals(400, alone.status(), alone.toString());
        assertEquals("max_regenerations", alone.json().at("/error/field").asText());
        ApiClient.Response ok = both.client().submit(KEY,
                request(",\"min_identity_similarity\":0.4,\"max_regenerations\":2"), TestImages.png(64, 64, 4));
        assertEquals(202, ok.status(), ok.toString());
        JobMessage item = workItem(Topics.jobsFor(ModelNames.V2), ok.json().get("id").asText()).orElseThrow();
        assertEquals(0.4, item.request().minIdentitySimilarity());
        assertEquals(2, item.request().maxRegenerations());
    }

    @Test
    void outputs_show_their_identity_similarity_and_the_job_the_images_tried() {
        ApiClient.Response r = v1Only.client().submit(KEY, request(""), TestImages.png(64, 64, 5));
        String id = r.json().get("id").asText();
        v1Only.succeed(id, TestImages.png(64, 64, 6), TestImages.png(64, 64, 7));
        JsonNode plain = v1Only.client().get("/v1/jobs/" + id, KEY).json();
        assertTrue(plain.at("/outputs/0/identity_similarity").isMissingNode(), plain.toString());
        assertTrue(plain.path("generations_tried").isMissingNode(), plain.toString());

        var json = new io.photomaker.gateway.jobs.JobJson(Duration.ofHours(1));
        var record = v1Only.awaitRecord(id, x -> x.status().isTerminal());
        var checked = new io.photomaker.common.state.JobRecord(record.id(), record.tenant(), record.status(),
                record.attempt(), record.step(), record.total(),
                List.of(new JobOutput("k0", 64, 64, 1, 0.71, 1), new JobOutput("k1", 64, 64, 5, null, 3)),
                null, false, false, record.request(), record.inputs(), record.createdAt(), record.startedAt(),
                record.finishedAt(), record.updatedAt(), record.deadlineAt(), record.version());
        JsonNode shown = new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(json.render(checked, 0));
        assertEquals(0.71, shown.at("/outputs/0/identity_similarity").asDouble());
        assertTrue(shown.at("/outputs/1/identity_similarity").isNull(), shown.toString());
        assertEquals(3, shown.at("/outputs/1/generations").asInt());
        assertEquals(4, shown.get("generations_tried").asInt());
    }

    private static Optional<JobMessage> workItem(String topic, String id) {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaClients.readerConsumer(
                SharedInfra.get().kafka(), "model-routing-reader"))) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.currentTimeMillis() + 20_000;
            while (System.currentTimeMillis() < deadline) {
                for (var rec : c.poll(Duration.ofMillis(200))) {
                    if (id.equals(rec.key())) {
                        return Optional.of(Json.read(rec.value(), JobMessage.class));
                    }
                }
            }
        }
        return Optional.empty();
    }
}
