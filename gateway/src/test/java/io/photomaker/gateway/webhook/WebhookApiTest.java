package io.photomaker.gateway.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.photomaker.common.config.Settings;
import io.photomaker.common.job.JobIds;
import io.photomaker.gateway.GatewayConfig;
import io.photomaker.gateway.http.GatewayRoutes;
import io.photomaker.gateway.support.ApiClient;
import io.photomaker.gateway.support.TestGateway;
import io.photomaker.common.kafka.JobProducer;
import io.photomaker.gateway.support.SharedInfra;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The tenant's webhook secret and the limits on replays, through the HTTP API. */
class WebhookApiTest {
    private static final String A = TestGateway.tenant("hooks-a");
    private static final String B = TestGateway.tenant("hooks-b");
    private static final WebhookKeys KEYS = WebhookKeys.of("webhook-api-test-server-key-0123456789");
    private static TestGateway gateway;
    private static ApiClient api;
    private static JobProducer producer;

    @BeforeAll
    static void start() {
        GatewayConfig config = GatewayConfig.from(Settings.of(Map.of(
                "PM_HTTP_HOST", "127.0.0.1",
                "PM_HTTP_PORT", "0",
                "PM_API_KEYS", A + ":" + TestGateway.keyOf(A) + "," + B + ":" + TestGateway.keyOf(B),
                "PM_WEBHOOK_REPLAYS_PER_MINUTE", "2")));
        producer = new JobProducer(SharedInfra.get().kafka(), "webhook-api-test");
        GatewayRoutes routes = new GatewayRoutes()
                .mount(GatewayRoutes.GET_WEBHOOK_SECRET, s -> new WebhookSecretHandler(KEYS))
                .mount(GatewayRoutes.REPLAY_JOB_WEBHOOK, s -> new WebhookReplayHandler(s.lookup(),
                        new DeliveryLog(s.store()), producer, s.limits().replays()));
        gateway = TestGateway.start(config, routes);
        // The replay rate is shared among live gateways: wait until those of earlier test classes have left.
        TestGateway.awaitCluster(gateway);
        api = gateway.client();
    }

    @AfterAll
    static void stop() {
        gateway.close();
        producer.close();
    }

    @Test
    void each_tenant_gets_its_own_secret_and_nobody_gets_one_without_a_key() {
        ApiClient.Response a = api.get("/v1/webhooks/default/secret", TestGateway.keyOf(A));
        ApiClient.Response b = api.get("/v1/webhooks/default/secret", TestGateway.keyOf(B));
        assertEquals(200, a.status(), a.text());
        assertEquals(KEYS.secretFor(A), a.json().get("key").asText());
        assertEquals(KEYS.secretFor(B), b.json().get("key").asText());
        assertNotEquals(a.json().get("key").asText(), b.json().get("key").asText());
        assertEquals("no-store", a.header("cache-control"));
        assertEquals(401, api.get("/v1/webhooks/default/secret", null).status());
    }

    @Test
    void a_delivery_id_of_another_form_or_another_job_is_not_found_without_any_lookup() {
        String job = JobIds.newJobId();
        String other = JobIds.newJobId();
        for (String id : new String[] {"msg_nope", "msg_" + other + "_3", "msg_" + job + "_", "msg_" + job + "_3x"}) {
            ApiClient.Response r = api.post("/v1/jobs/" + job + "/webhooks/" + id + "/replay", TestGateway.keyOf(A));
            assertEquals(404, r.status(), id + ": " + r.text());
            assertEquals("delivery_not_found", r.errorType());
        }
    }

    @Test
    void replays_beyond_the_tenants_rate_are_refused_with_retry_after() {
        String job = JobIds.newJobId();
        String path = "/v1/jobs/" + job + "/webhooks/msg_" + job + "_3/replay";
        ApiClient.Response last = null;
        for (int i = 0; i < 3; i++) {
            last = api.post(path, TestGateway.keyOf(B));
        }
        assertEquals(429, last.status(), last.text());
        assertEquals("rate_limited", last.errorType());
        assertNotNull(last.header("retry-after"));
    }
}
