package io.photomaker.gateway.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.photomaker.gateway.state.LocalStores;
import io.photomaker.gateway.support.ApiClient;
import io.photomaker.gateway.support.TestGateway;
import io.photomaker.gateway.support.TestImages;
import io.photomaker.testkit.Await;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Two gateways sharing the job state: each owns some partitions and holds standby copies of the others', a
 * GET through either finds every job (read locally or asked of the owner over the internal listener, which
 * needs the shared token), and listings merge both gateways' partitions.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RoutedReadsTest {
    private static final String TENANT = TestGateway.tenant("routed");
    private static final String KEY = TestGateway.keyOf(TENANT);
    private static final String TOKEN = "internal-token-for-tests-0123";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static TestGateway a;
    private static TestGateway b;
    private static final List<String> submitted = new ArrayList<>();

    @BeforeAll
    static void start() {
        var cfg = TestGateway.config(100_000, 100_000, Map.of("PM_INTERNAL_TOKEN", TOKEN), TENANT);
        a = TestGateway.start(cfg);
        b = TestGateway.start(cfg);
        TestGateway.awaitCluster(a, b);
        for (int i = 0; i < 8; i++) {
            submitted.add(a.client().submit(KEY, TestGateway.GOOD_REQUEST, TestImages.png(64, 64, 300 + i))
                    .json().get("id").asText());
        }
    }

    @AfterAll
    static void stop() {
        b.close();
        a.close();
    }

    private static LocalStores stores(TestGateway g) {
        return g.gateway().services().processor().stores();
    }

    @Test
    @Order(1)
    void every_job_is_found_through_either_gateway_and_the_non_owner_asks_the_owner() {
        long answeredBefore = a.gateway().internal().answered() + b.gateway().internal().answered();
        for (String id : submitted) {
            for (TestGateway via : List.of(a, b)) {
                ApiClient.Response r = via.client().get("/v1/jobs/" + id, KEY);
                assertEquals(200, r.status(), r.toString());
                assertEquals(id, r.json().get("id").asText());
                assertEquals("queued", r.json().get("status").asText());
            }
        }
        long routed = a.gateway().internal().answered() + b.gateway().internal().answered() - answeredBefore;
        assertTrue(routed >= submitted.size(), "each job has one gateway that does not own it and must ask: "
                + routed + " internal reads for " + submitted.size() + " jobs");
    }

    @Test
    @Order(2)
    void a_listing_through_one_gateway_pages_through_the_jobs_of_both_newest_first() {
        List<String> seen = new ArrayList<>();
        String cursor = null;
        do {
            ApiClient.Response page = b.client().get("/v1/jobs?limit=3" + (cursor == null ? "" : "&cursor=" + cursor),
                    KEY);
            assertEquals(200, page.status(), page.toString());
            for (JsonNode job : page.json().get("data")) {
                seen.add(job.get("id").asText());
            }
            JsonNode next = page.json().get("next_cursor");
            cursor = next == null || next.isNull() ? null : next.asText();
        } while (cursor != null);
        assertEquals(submitted.stream().sorted(Comparator.reverseOrder()).toList(), seen);
    }

    @Test
    @Order(3)
    void the_internal_listener_needs_the_token_and_the_public_listener_serves_no_internal_path() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        String id = submitted.get(0);
        LocalStores.Location at = stores(a).locate(id);
        TestGateway owner = stores(a).isSelf(at.active()) ? a : b;
        URI internal = URI.create("http://127.0.0.1:" + owner.gateway().internal().port() + "/internal/v1/jobs/" + id
                + "?partition=" + at.partition());
        HttpResponse<String> anonymous = http.send(HttpRequest.newBuilder(internal).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, anonymous.statusCode());
        HttpResponse<String> clientKey = http.send(HttpRequest.newBuilder(internal)
                .header("Authorization", "Bearer " + KEY).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, clientKey.statusCode(), "a client API key is not the internal token");
        HttpResponse<String> token = http.send(HttpRequest.newBuilder(internal)
                .header("Authorization", "Bearer " + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, token.statusCode(), token.body());
        assertTrue(token.body().contains(id));

        ApiClient.Response viaPublic = a.client().get("/internal/v1/jobs/" + id, KEY);
        assertEquals(404, viaPublic.status(), viaPublic.toString());
    }

    @Test
    @Order(4)
    void when_the_owner_stops_answering_its_standby_on_the_other_gateway_answers() {
        TestGateway owner = stores(a).holders().values().stream().anyMatch(h -> stores(a).isSelf(h.active())) ? a : b;
        TestGateway other = owner == a ? b : a;
        Set<String> owned = new HashSet<>();
        for (String id : submitted) {
            if (stores(owner).isSelf(stores(owner).locate(id).active())) {
                owned.add(id);
            }
        }
        assertTrue(!owned.isEmpty(), "the owner owns some of the jobs");
        for (String id : owned) {
            LocalStores.Location at = stores(other).locate(id);
            assertTrue(at.standbys().contains(stores(other).self()), "the other gateway holds a standby of " + id);
            Await.until("the standby copy of " + id, WAIT, () -> {
                try {
                    return stores(other).record(id, at.partition(), true).isPresent();
                } catch (LocalStores.Unavailable e) {
                    return false;
                }
            });
        }
        owner.gateway().internal().close();
        for (String id : owned) {
            ApiClient.Response r = other.client().get("/v1/jobs/" + id, KEY);
            assertEquals(200, r.status(), r.toString());
            assertEquals(id, r.json().get("id").asText());
        }
    }
}
