package io.photomaker.gateway.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.photomaker.common.config.Settings;
import io.photomaker.gateway.GatewayConfig;
import io.photomaker.gateway.events.JobEventsHandler;
import io.photomaker.gateway.http.GatewayRoutes;
import io.photomaker.gateway.identity.Identities;
import io.photomaker.gateway.support.ApiClient;
import io.photomaker.gateway.support.Multipart;
import io.photomaker.gateway.support.TestGateway;
import io.photomaker.gateway.support.TestImages;
import io.photomaker.testkit.http.RawHttp;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Event streams and identity creation against their caps, over the HTTP API. */
class ExpensivePathsTest {
    private static final String STREAMER = TestGateway.tenant("streams");
    private static final String CREATOR = TestGateway.tenant("creator");
    private static final String HURRIED = TestGateway.tenant("hurried");
    private static TestGateway gateway;
    private static ApiClient api;

    @BeforeAll
    static void start() {
        GatewayConfig config = GatewayConfig.from(Settings.of(Map.of(
                "PM_HTTP_HOST", "127.0.0.1",
                "PM_HTTP_PORT", "0",
                "PM_API_KEYS", String.join(",", STREAMER + ":" + TestGateway.keyOf(STREAMER),
                        CREATOR + ":" + TestGateway.keyOf(CREATOR), HURRIED + ":" + TestGateway.keyOf(HURRIED)),
                "PM_RATE_LIMIT_PER_MINUTE", "3",
                "PM_SSE_MAX_PER_TENANT", "2",
                "PM_MAX_IDENTITIES", "2")));
        GatewayRoutes routes = Identities.install(new GatewayRoutes().mount(GatewayRoutes.STREAM_JOB_EVENTS,
                s -> new JobEventsHandler(s.lookup(), s.feed(), Duration.ofSeconds(15), s.limits().streams())));
        gateway = TestGateway.start(config, routes);
        // The rates are shared among live gateways: wait until those of earlier test classes have left.
        TestGateway.awaitCluster(gateway);
        api = gateway.client();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void a_tenant_past_its_event_stream_cap_gets_429_and_a_closed_stream_frees_its_place() {
        String key = TestGateway.keyOf(STREAMER);
        ApiClient.Response submitted = api.submit(key, TestGateway.GOOD_REQUEST, TestImages.png(64, 64, 301));
        String job = submitted.json().get("id").asText();
        gateway.awaitRecord(job, r -> true);
        List<RawHttp> open = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                open.add(stream(job, key, 200));
            }
            RawHttp third = stream(job, key, 429);
            third.close();
            open.remove(0).close();
            awaitStatus(job, key, 200);
        } finally {
            open.forEach(RawHttp::close);
        }
    }

    @Test
    void identities_past_the_tenants_quota_are_refused_with_403() {
        String key = TestGateway.keyOf(CREATOR);
        List<Integer> statuses = new ArrayList<>();
        ApiClient.Response last = null;
        for (int i = 0; i < 3; i++) {
            last = createIdentity(key, 310 + i);
            statuses.add(last.status());
        }
        assertEquals(List.of(202, 202, 403), statuses);
        assertEquals("identity_quota_exceeded", last.errorType());
    }

    @Test
    void identity_creation_draws_from_the_tenants_submission_rate() {
        String key = TestGateway.keyOf(HURRIED);
        api.submit(key, TestGateway.GOOD_REQUEST, TestImages.png(64, 64, 320));
        api.submit(key, TestGateway.GOOD_REQUEST, TestImages.png(64, 64, 321));
        assertEquals(202, createIdentity(key, 322).status());
        ApiClient.Response limited = createIdentity(key, 323);
        assertEquals(429, limited.status(), limited.toString());
        assertEquals("rate_limited", limited.errorType());
        assertNotNull(limited.header("Retry-After"));
    }

    private static ApiClient.Response createIdentity(String key, long seed) {
        Multipart m = new Multipart().file("images", "me.png", "image/png", TestImages.png(64, 64, seed));
        return api.send("POST", "/v1/identities", key, m.build(), m.contentType(), Map.of());
    }

    private static RawHttp stream(String job, String key, int expected) {
        RawHttp c = RawHttp.open(gateway.port());
        c.send(("GET /v1/jobs/" + job + "/events HTTP/1.1\r\nHost: x\r\nX-API-Key: " + key + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        RawHttp.Answer a = c.readHead(Duration.ofSeconds(20));
        assertNotNull(a);
        assertEquals(expected, a.status(), a.headers().toString());
        return c;
    }

    /** A closed stream's place is freed when the server notices the close: ask until it is. */
    private static void awaitStatus(String job, String key, int expected) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (true) {
            RawHttp c = RawHttp.open(gateway.port());
            c.send(("GET /v1/jobs/" + job + "/events HTTP/1.1\r\nHost: x\r\nX-API-Key: " + key + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            RawHttp.Answer a = c.readHead(Duration.ofSeconds(20));
            c.close();
            if (a != null && a.status() == expected) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("a stream place was not freed; last answer " + (a == null ? "none"
                        : a.status()));
            }
        }
    }
}
