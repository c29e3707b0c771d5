package io.photomaker.gateway.identity;

import static io.photomaker.gateway.identity.IdentitiesApiTest.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.photomaker.common.job.IdentityRef;
import io.photomaker.common.state.JobRecord;
import io.photomaker.gateway.support.ApiClient;
import io.photomaker.gateway.support.TestGateway;
import io.photomaker.gateway.support.TestImages;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Jobs that stack stored identities, alone or with uploaded photos, checked before they are queued. */
class JobsWithIdentitiesTest {
    static final String TENANT = TestGateway.tenant("idn-jobs");
    static final String KEY = TestGateway.keyOf(TENANT);
    static final byte[] FACE = TestImages.png(64, 64, 401);
    static TestGateway gw;
    static ApiClient api;

    @BeforeAll
    static void start() {
        gw = TestGateway.start(TestGateway.config(1000, 1000, TENANT));
        api = gw.client();
    }

    @AfterAll
    static void stop() {
        gw.close();
    }

    private static String identity(int photos) {
        byte[][] faces = new byte[photos][];
        for (int i = 0; i < photos; i++) {
            faces[i] = TestImages.png(64, 64, 410 + i);
        }
        ApiClient.Response r = IdentityFixtures.create(api, KEY, null, faces);
        assertEquals(202, r.status(), r.toString());
        return r.json().get("id").asText();
    }

    private static String readyIdentity(int embeddings) {
        String id = identity(1);
        IdentityFixtures.markReady(id, embeddings);
        return id;
    }

    private static String request(String prompt, String identities) {
        return "{\"prompt\":\"" + prompt + "\",\"num_steps\":4,\"width\":64,\"height\":64,\"seed\":1,"
                + "\"identity_ids\":" + identities + "}";
    }

    private static String ref(String id, int weight) {
        return "{\"id\":\"" + id + "\",\"weight\":" + weight + "}";
    }

    @Test
    void a_job_may_use_a_ready_identity_instead_of_photos() {
        String id = readyIdentity(3);
        ApiClient.Response r = api.postJson("/v1/jobs", KEY, request("a photo of a woman img", "[" + ref(id, 0) + "]"),
                Map.of());
        assertEquals(202, r.status(), r.toString());
        JobRecord queued = gw.awaitRecord(r.json().get("id").asText(), x -> true);
        assertEquals(List.of(new IdentityRef(id, 0)), queued.request().identityIds());
        assertEquals(List.of(), queued.inputs());
    }

    @Test
    void a_job_may_combine_identities_and_uploaded_photos() {
        String first = readyIdentity(2);
        String second = readyIdentity(1);
        ApiClient.Response r = api.submit(KEY, request("a man img in a forest", "[" + ref(first, 2) + ","
                + ref(second, 1) + "]"), FACE);
        assertEquals(202, r.status(), r.toString());
        JobRecord queued = gw.awaitRecord(r.json().get("id").asText(), x -> true);
        assertEquals(2, queued.request().identityIds().size());
        assertEquals(1, queued.inputs().size());
    }

    @Test
    void a_pending_or_failed_identity_is_not_ready() {
        String pending = identity(1);
        assertRefused(api.postJson("/v1/jobs", KEY, request("a woman img", "[" + ref(pending, 1) + "]"), Map.of()),
                409, "identity_not_ready", "identity_ids");
        IdentityFixtures.markFailed(pending, "corrupt_image", "photo 1 cannot be decoded");
        ApiClient.Response failed = api.postJson("/v1/jobs", KEY, request("a woman img", "[" + ref(pending, 1) + "]"),
                Map.of());
        assertRefused(failed, 409, "identity_not_ready", "identity_ids");
        assertEquals(true, failed.json().at("/error/message").asText().contains("photo 1 cannot be decoded"),
                failed.toString());
    }

    @Test
    void an_unknown_identity_is_not_found_even_next_to_a_ready_one() {
        String ready = readyIdentity(1);
        String unknown = ref("idn_00000000000000000000000000", 1);
        assertRefused(api.postJson("/v1/jobs", KEY, request("a woman img", "[" + ref(ready, 1) + "," + unknown + "]"),
                Map.of()), 404, "identity_not_found", "identity_ids");
        assertRefused(api.postJson("/v1/jobs", KEY, request("a woman img", "[" + ref("../../inputs", 1) + "]"),
                Map.of()), 404, "identity_not_found", "identity_ids");
    }

    @Test
    void weight_zero_stacks_every_stored_embedding_in_the_size_and_prompt_checks() {
        String eight = readyIdentity(8);
        // One photo plus all eight stored embeddings is nine: one more than a job stacks.
        assertRefused(api.submit(KEY, request("a woman img", "[" + ref(eight, 0) + "]"), FACE), 400,
                "too_many_images", "images");
        ApiClient.Response weighted = api.submit(KEY, request("a woman img", "[" + ref(eight, 7) + "]"), FACE);
        assertEquals(202, weighted.status(), weighted.toString());

        // The trigger word is word 72: one class-token copy fits the 77-token window, seven do not.
        String late = "word ".repeat(70) + "a man img";
        String six = readyIdentity(6);
        assertEquals(202, api.submit(KEY, request(late, "[]"), FACE).status());
        assertRefused(api.submit(KEY, request(late, "[" + ref(six, 0) + "]"), FACE), 400, "prompt_too_long", "prompt");
    }

    @Test
    void a_job_with_neither_photos_nor_identities_has_no_id_images() {
        assertRefused(api.postJson("/v1/jobs", KEY, request("a woman img", "[]"), Map.of()), 400, "no_id_images",
                "images");
    }
}
