package io.photomaker.gateway.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.common.config.Settings;
import io.photomaker.gateway.GatewayConfig;
import io.photomaker.gateway.support.TestGateway;
import io.photomaker.testkit.http.H2Raw;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** HTTP/2 (cleartext, prior knowledge) from a client that ignores the server's SETTINGS. */
class Http2LimitsTest {
    private static final String TENANT = TestGateway.tenant("h2");
    private static final String KEY = TestGateway.keyOf(TENANT);
    private static TestGateway gateway;

    @BeforeAll
    static void start() {
        gateway = TestGateway.start(GatewayConfig.from(Settings.of(Map.of("PM_HTTP_HOST", "127.0.0.1",
                "PM_HTTP_PORT", "0", "PM_API_KEYS", TENANT + ":" + KEY, "PM_BODY_TIMEOUT_SECONDS", "2",
                "PM_HTTP2_MAX_STREAMS", "8"))));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void streams_past_the_cap_are_refused_even_before_the_client_acknowledges_the_settings() {
        try (H2Raw c = H2Raw.open(gateway.port())) {
            Map<String, String> headers = Map.of("x-api-key", KEY, "content-type", "application/json",
                    "content-length", "1000");
            for (int i = 0; i < 20; i++) {
                // Bodies never follow: each admitted stream waits for one until its time budget ends.
                c.request(2 * i + 1, "POST", "/v1/jobs/job_h2flood" + i + "/cancel", headers, false);
            }
            H2Raw.Tally got = c.readFor(Duration.ofSeconds(10));
            assertEquals(12, got.refused(), got.toString());
            assertEquals(8, got.statuses4xx(), "the admitted streams time out: " + got);
        }
    }

    @Test
    void a_header_list_far_over_the_limit_ends_the_connection() {
        try (H2Raw c = H2Raw.open(gateway.port())) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("x-api-key", KEY);
            for (int i = 0; i < 40; i++) {
                headers.put("x-filler-" + i, "b".repeat(1300));
            }
            c.request(1, "GET", "/v1/jobs", headers, true);
            H2Raw.Tally got = c.readFor(Duration.ofSeconds(10));
            assertTrue(got.goaway() || got.closed(), got.toString());
            assertEquals(0, got.responses(), got.toString());
        }
    }
}
