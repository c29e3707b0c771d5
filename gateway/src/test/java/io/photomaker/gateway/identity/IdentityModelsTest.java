package io.photomaker.gateway.identity;

import static io.photomaker.gateway.identity.IdentitiesApiTest.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.photomaker.common.job.IdentityRecord;
import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.KafkaClients;
import io.photomaker.common.kafka.Topics;
import io.photomaker.common.model.ModelNames;
import io.photomaker.gateway.http.GatewayRoutes;
import io.photomaker.gateway.models.ServedModels;
import io.photomaker.gateway.support.ApiClient;
import io.photomaker.gateway.support.SharedInfra;
import io.photomaker.gateway.support.TestGateway;
import io.photomaker.gateway.support.TestImages;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Identities belong to a model: made by its fleet, usable only by its jobs. */
class IdentityModelsTest {
    static final String TENANT = TestGateway.tenant("idn-models");
    static final String KEY = TestGateway.keyOf(TENANT);
    static TestGateway gw;
    static ApiClient api;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(TestGateway.config(1000, 1000, TENANT)
                .withModels(new ServedModels(List.of(ModelNames.V1, ModelNames.V2), ModelNames.V1)),
                Identities.install(new GatewayRoutes()));
        api = gw.client();
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    private static String job(String model, String identity) {
        return "{\"prompt\":\"a woman img\",\"num_steps\":4,\"width\":64,\"height\":64,\"seed\":1"
                + (model == null ? "" : ",\"model\":\"" + model + "\"")
                + ",\"identity_ids\":[{\"id\":\"" + identity + "\",\"weight\":1}]}";
    }

    @Test
    void a_v2_identity_is_queued_for_the_v2_fleet_and_used_only_by_v2_jobs() {
        ApiClient.Response created = IdentityFixtures.create(api, KEY, "{\"model\":\"photomaker-v2\"}",
                TestImages.png(64, 64, 501));
        assertEquals(202, created.status(), created.toString());
        String id = created.json().get("id").asText();
        assertEquals(ModelNames.V2, created.json().get("model").asText());
        assertEquals(ModelNames.V2, queued(Topics.identityRequestsFor(ModelNames.V2), id).model());
        IdentityFixtures.markReady(id, 1);

        assertRefused(api.postJson("/v1/jobs", KEY, job(null, id), Map.of()), 400, "identity_model_mismatch",
                "identity_ids");
        assertEquals(202, api.postJson("/v1/jobs", KEY, job(ModelNames.V2, id), Map.of()).status());
    }

    @Test
    void an_identity_for_a_model_not_served_is_refused() {
        assertRefused(IdentityFixtures.create(api, KEY, "{\"model\":\"photomaker-v9\"}", TestImages.png(64, 64, 502)),
                400, "unknown_model", "model");
    }

    private static IdentityRecord queued(String topic, String id) {
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(KafkaClients.readerConsumer(
                SharedInfra.get().kafka(), "identity-model-reader"))) {
            List<TopicPartition> parts = c.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            c.assign(parts);
            c.seekToBeginning(parts);
            long deadline = System.currentTimeMillis() + 20_000;
            while (System.currentTimeMillis() < deadline) {
                for (var rec : c.poll(Duration.ofMillis(200))) {
                    if (id.equals(rec.key())) {
                        return Json.read(rec.value(), IdentityRecord.class);
                    }
                }
            }
        }
        throw new AssertionError("no identity request for " + id + " on " + topic);
    }
}
