package io.photomaker.gateway.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.common.config.Settings;
import io.photomaker.gateway.GatewayConfig;
import io.photomaker.gateway.support.Multipart;
import io.photomaker.testkit.http.RawHttp;
import io.photomaker.gateway.support.TestGateway;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Request bodies against the process-wide body budget, the per-body time budget and the part limit, over raw
 * connections that misbehave the way an attacker's do.
 */
class BodyLimitsTest {
    private static final String TENANT = TestGateway.tenant("bodies");
    private static final String KEY = TestGateway.keyOf(TENANT);
    private static final Duration ANSWER = Duration.ofSeconds(20);
    private static TestGateway gateway;
    private static BodyBudget budget;

    @BeforeAll
    static void start() {
        GatewayConfig config = GatewayConfig.from(Settings.of(Map.of(
                "PM_HTTP_HOST", "127.0.0.1",
                "PM_HTTP_PORT", "0",
                "PM_API_KEYS", TENANT + ":" + KEY,
                "PM_RATE_LIMIT_PER_MINUTE", "1000",
                "PM_MAX_BODY_BYTES", Integer.toString(1 << 20),
                "PM_MAX_IMAGE_BYTES", Integer.toString(512 << 10),
                "PM_BODY_BUDGET_BYTES", Integer.toString(1 << 20),
                "PM_BODY_TIMEOUT_SECONDS", "2")));
        gateway = TestGateway.start(config);
        budget = gateway.gateway().services().limits().bodies();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void a_declared_content_length_reserves_nothing_before_bytes_arrive() {
        try (RawHttp c = RawHttp.open(gateway.port())) {
            c.postHead("/v1/jobs", new Multipart().contentType(), 1_000_000, KEY).send(new byte[10]);
            await(() -> budget.usedBytes() > 0);
            assertTrue(budget.usedBytes() <= 64 * 1024, "reserved " + budget.usedBytes() + " for 10 bytes");
        }
        await(() -> budget.usedBytes() == 0);
    }

    @Test
    void a_body_that_trickles_past_its_time_budget_gets_408_and_its_connection_closed() throws Exception {
        try (RawHttp c = RawHttp.open(gateway.port())) {
            c.postHead("/v1/jobs", new Multipart().contentType(), 100_000, KEY);
            // One byte every 100 ms keeps any idle timer happy; only a budget for the whole body stops it.
            RawHttp.Answer answer = null;
            for (int i = 0; i < 400 && answer == null; i++) {
                if (!c.trySend(new byte[] {'x'})) {
                    break;
                }
                Thread.sleep(100);
                if (i % 10 == 9 && budget.usedBytes() == 0) {
                    break;
                }
            }
            answer = c.readAnswer(ANSWER);
            assertNotNull(answer, "the gateway answers before closing");
            assertEquals(408, answer.status(), answer.text());
            assertTrue(answer.text().contains("body_timeout"), answer.text());
            assertTrue(c.closedWithin(ANSWER), "the connection is closed after the answer");
        }
        await(() -> budget.usedBytes() == 0);
    }

    @Test
    void a_body_that_finds_the_budget_spent_gets_429_and_the_budget_comes_back_when_the_first_ends() {
        byte[] bigChunk = new byte[600 * 1024];
        try (RawHttp first = RawHttp.open(gateway.port()); RawHttp second = RawHttp.open(gateway.port())) {
            first.postHead("/v1/jobs", new Multipart().contentType(), 900_000, KEY).send(bigChunk);
            await(() -> budget.usedBytes() >= 1 << 20);
            second.postHead("/v1/jobs", new Multipart().contentType(), 200_000, KEY).send(new byte[100_000]);
            RawHttp.Answer refused = second.readAnswer(ANSWER);
            assertNotNull(refused);
            assertEquals(429, refused.status(), refused.text());
            assertTrue(refused.text().contains("body_budget_exhausted"), refused.text());
            assertNotNull(refused.headers().get("retry-after"));
        }
        await(() -> budget.usedBytes() == 0);
    }

    @Test
    void a_multipart_body_of_thousands_of_parts_is_refused_while_parsing() {
        Multipart many = new Multipart();
        for (int i = 0; i < 10_000; i++) {
            many.field("request", "{}");
        }
        byte[] body = many.build();
        try (RawHttp c = RawHttp.open(gateway.port())) {
            c.postHead("/v1/jobs", many.contentType(), body.length, KEY).send(body);
            RawHttp.Answer answer = c.readAnswer(ANSWER);
            assertNotNull(answer);
            assertEquals(400, answer.status(), answer.text());
            assertTrue(answer.text().contains("too_many_parts"), answer.text());
        }
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in 20 s; body budget in use: " + budget.usedBytes());
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
