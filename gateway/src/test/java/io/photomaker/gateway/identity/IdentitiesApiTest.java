package io.photomaker.gateway.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.photomaker.common.job.IdentityRecord;
import io.photomaker.common.storage.ObjectKeys;
import io.photomaker.gateway.support.ApiClient;
import io.photomaker.gateway.support.SharedInfra;
import io.photomaker.gateway.support.TestGateway;
import io.photomaker.gateway.support.TestImages;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** POST, GET and DELETE /v1/identities over real HTTP, with the object store and Kafka checked directly. */
class IdentitiesApiTest {
    static final String ALICE = TestGateway.tenant("idn-alice");
    static final String BOB = TestGateway.tenant("idn-bob");
    static final String ALICE_KEY = TestGateway.keyOf(ALICE);
    static final String BOB_KEY = TestGateway.keyOf(BOB);
    static final byte[] FACE_1 = TestImages.png(64, 64, 301);
    static final byte[] FACE_2 = TestImages.png(80, 72, 302);
    static TestGateway gw;
    static ApiClient api;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(TestGateway.config(1000, 1000, ALICE, BOB));
        api = gw.client();
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    private static String createdId(ApiClient.Response r) {
        assertEquals(202, r.status(), r.toString());
        return r.json().get("id").asText();
    }

    @Test
    void a_multipart_identity_stores_its_photos_and_pending_record_and_queues_it_for_a_worker() {
        ApiClient.Response r = IdentityFixtures.create(api, ALICE_KEY, "{\"name\":\"Ada\",\"keep_photos\":true}",
                FACE_1, FACE_2);
        String id = createdId(r);
        assertTrue(IdentityRecords.isIdentityId(id), id);
        assertEquals("/v1/identities/" + id, r.header("Location"));
        JsonNode body = r.json();
        assertEquals("pending", body.get("status").asText());
        assertEquals("Ada", body.get("name").asText());
        assertEquals(0, body.get("embeddings").asInt());
        assertTrue(body.get("keep_photos").asBoolean());

        List<String> photos = List.of(ObjectKeys.identityPhoto(id, 0, "png"), ObjectKeys.identityPhoto(id, 1, "png"));
        IdentityRecord stored = IdentityFixtures.stored(id);
        assertEquals(ALICE, stored.tenant());
        assertEquals(IdentityRecord.PENDING, stored.status());
        assertEquals(photos, stored.photoKeys());
        assertTrue(stored.keepPhotos());
        assertArrayEquals(FACE_2, IdentityFixtures.join(SharedInfra.get().store().get(photos.get(1))));

        IdentityRecord queued = IdentityFixtures.queuedRequest(id).orElseThrow();
        assertEquals(photos, queued.photoKeys());
        assertEquals(ALICE, queued.tenant());
    }

    @Test
    void the_request_part_is_optional_and_json_bodies_carry_data_uris() {
        String plain = createdId(IdentityFixtures.create(api, ALICE_KEY, null, FACE_1));
        assertTrue(IdentityFixtures.stored(plain).name() == null);
        assertFalse(IdentityFixtures.stored(plain).keepPhotos());

        String photo = TestImages.dataUri("image/jpeg", TestImages.jpeg(64, 64, 303));
        String json = "{\"name\":\"Grace\",\"images\":[\"" + photo + "\"]}";
        String id = createdId(api.postJson("/v1/identities", ALICE_KEY, json, Map.of()));
        IdentityRecord stored = IdentityFixtures.stored(id);
        assertEquals("Grace", stored.name());
        assertEquals(List.of(ObjectKeys.identityPhoto(id, 0, "jpg")), stored.photoKeys());
    }

    @Test
    void photos_are_checked_like_a_jobs_and_a_refused_identity_leaves_nothing_behind() {
        int before = IdentityFixtures.join(SharedInfra.get().store().list("identities/")).size();
        byte[] gif = "GIF89a\u0001\u0000\u0001\u0000\u0000\u0000\u0000;".getBytes(StandardCharsets.ISO_8859_1);
        assertRefused(IdentityFixtures.create(api, ALICE_KEY, null, FACE_1, gif), 400, "unsupported_image_format",
                "images[1]");
        assertRefused(IdentityFixtures.create(api, ALICE_KEY, null, TestImages.truncated(FACE_1, FACE_1.length / 2)),
                400, "corrupt_image", "images[0]");
        assertRefused(IdentityFixtures.create(api, ALICE_KEY, "{\"name\":\"x\"}"), 400, "no_id_images", "images");
        byte[][] nine = new byte[9][];
        Arrays.fill(nine, FACE_1);
        assertRefused(IdentityFixtures.create(api, ALICE_KEY, null, nine), 400, "too_many_images", "images");
        assertRefused(IdentityFixtures.create(api, ALICE_KEY, "{\"nickname\":\"x\"}", FACE_1), 400, "unknown_field",
                "nickname");
        assertRefused(IdentityFixtures.create(api, ALICE_KEY, "{\"keep_photos\":\"yes\"}", FACE_1), 400,
                "invalid_type", "keep_photos");
        assertEquals(before, IdentityFixtures.join(SharedInfra.get().store().list("identities/")).size());
    }

    @Test
    void get_shows_the_record_as_a_worker_leaves_it_without_photo_keys() {
        String id = createdId(IdentityFixtures.create(api, ALICE_KEY, "{\"name\":\"Lin\"}", FACE_1, FACE_2));
        JsonNode pending = api.get("/v1/identities/" + id, ALICE_KEY).json();
        assertEquals("pending", pending.get("status").asText());
        assertFalse(pending.has("photo_keys"), pending.toString());
        assertFalse(pending.has("tenant"), pending.toString());
        assertTrue(pending.get("created_at").asText().endsWith("Z"), pending.toString());

        IdentityFixtures.markReady(id, 2);
        ApiClient.Response ready = api.get("/v1/identities/" + id, ALICE_KEY);
        assertEquals(200, ready.status(), ready.toString());
        assertEquals("ready", ready.json().get("status").asText());
        assertEquals(2, ready.json().get("embeddings").asInt());
        assertTrue(ready.json().get("error").isNull());

        IdentityFixtures.markFailed(id, "corrupt_image", "photo 2: cannot be decoded");
        JsonNode failed = api.get("/v1/identities/" + id, ALICE_KEY).json();
        assertEquals("failed", failed.get("status").asText());
        assertEquals("corrupt_image", failed.at("/error/type").asText());
    }

    @Test
    void another_tenants_identity_does_not_exist_for_get_delete_or_jobs() {
        String id = createdId(IdentityFixtures.create(api, ALICE_KEY, null, FACE_1));
        IdentityFixtures.markReady(id, 1);
        assertRefused(api.get("/v1/identities/" + id, BOB_KEY), 404, "identity_not_found", null);
        assertRefused(api.delete("/v1/identities/" + id, BOB_KEY), 404, "identity_not_found", null);
        assertRefused(api.postJson("/v1/jobs", BOB_KEY, "{\"prompt\":\"a woman img\",\"identity_ids\":[{\"id\":\"" + id
                + "\"}]}", Map.of()), 404, "identity_not_found", "identity_ids");
        assertRefused(api.get("/v1/identities/idn_00000000000000000000000000", ALICE_KEY), 404, "identity_not_found",
                null);
        assertFalse(IdentityFixtures.keysOf(id).isEmpty(), "Bob's delete must not touch Alice's identity");
        assertEquals(401, api.get("/v1/identities/" + id, null).status());
    }

    @Test
    void delete_removes_the_record_photos_and_embeddings() {
        String id = createdId(IdentityFixtures.create(api, ALICE_KEY, "{\"keep_photos\":true}", FACE_1, FACE_2));
        IdentityFixtures.markReady(id, 2);
        assertEquals(4, IdentityFixtures.keysOf(id).size(), IdentityFixtures.keysOf(id).toString());
        ApiClient.Response r = api.delete("/v1/identities/" + id, ALICE_KEY);
        assertEquals(204, r.status(), r.toString());
        assertEquals(List.of(), IdentityFixtures.keysOf(id));
        assertRefused(api.get("/v1/identities/" + id, ALICE_KEY), 404, "identity_not_found", null);
        assertRefused(api.delete("/v1/identities/" + id, ALICE_KEY), 404, "identity_not_found", null);
    }

    static void assertRefused(ApiClient.Response r, int status, String type, String field) {
        assertEquals(status, r.status(), r.toString());
        assertEquals(type, r.errorType(), r.toString());
        if (field != null) {
            assertEquals(field, r.json().at("/error/field").asText(), r.toString());
        }
    }
}
