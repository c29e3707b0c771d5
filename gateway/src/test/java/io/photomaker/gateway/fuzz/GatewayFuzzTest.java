package io.photomaker.gateway.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.common.storage.ObjectStore;
import io.photomaker.gateway.support.ApiClient;
import io.photomaker.gateway.support.TestGateway;
import io.photomaker.gateway.support.TestImages;
import io.photomaker.testkit.infra.EmbeddedS3;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Hundreds of malformed requests from a seeded generator against a gateway on real Kafka and S3: none may
 * get a 5xx or a non-JSON error, the gateway must stay healthy, no temp files may appear, and only photos
 * of accepted jobs may be in the bucket. A few mutations are legitimately accepted (a lossy WebP frame
 * with scrambled bytes still decodes: VP8 has no checksum), and a request whose chunked framing breaks
 * after its head is answered by closing the connection.
 */
class GatewayFuzzTest {
    static final long SEED = 20_261_126L;
    static final int CASES = 400;
    static final long MAX_BODY = 1_500_000;

    @Test
    void hundreds_of_malformed_requests_get_4xx_json_errors_and_leave_nothing_behind() throws Exception {
        String tenant = TestGateway.tenant("fuzz");
        String key = TestGateway.keyOf(tenant);
        Path uploads = Path.of("file-uploads");
        long uploadsBefore = countFiles(uploads);
        try (EmbeddedS3 s3 = EmbeddedS3.start(); ObjectStore store = new ObjectStore(s3.settings())) {
            store.ensureBucket().get(20, TimeUnit.SECONDS);
            try (TestGateway gw = TestGateway.start(TestGateway.config(100_000, 100_000, tenant)
                    .withImageLimits(MAX_BODY, 600_000, 4_000_000), TestGateway.lifecycle(Map.of()), s3.settings())) {
                FuzzCases cases = new FuzzCases(SEED, MAX_BODY);
                int ok = 0;
                int client = 0;
                int server = 0;
                int closed = 0;
                int acceptedPhotos = 0;
                List<String> problems = new ArrayList<>();
                for (int i = 0; i < CASES; i++) {
                    FuzzCase c = cases.next();
                    Outcome o = send(gw.port(), key, c);
                    if (o.status == 0) {
                        closed++;
                        System.out.println("fuzz: connection cut: " + c.label() + " " + o.body + " for "
                                + (c.raw() == null ? c.path() : new String(c.raw(), 0, Math.min(60, c.raw().length),
                                StandardCharsets.ISO_8859_1)).replace("\r\n", " | "));
                    } else if (o.status >= 500) {
                        server++;
                        problems.add(c.label() + " -> " + o.status + " " + o.body);
                    } else if (o.status >= 400) {
                        client++;
                        if (!o.body.contains("\"error\"") || !o.body.contains("\"type\"")) {
                            problems.add(c.label() + " -> " + o.status + " without a JSON error: " + o.body);
                        }
                    } else {
                        ok++;
                        System.out.println("fuzz: accepted: " + c.label() + " -> " + o.status);
                        acceptedPhotos += c.path().equals("/v1/jobs") && c.method().equals("POST") ? c.photos() : 0;
                    }
                }
                System.out.println("fuzz: tried=" + CASES + " 4xx=" + client + " 5xx=" + server
                        + " 2xx=" + ok + " closed=" + closed);
                assertEquals(List.of(), problems);
                assertEquals(0, server);
                assertTrue(client >= CASES * 9 / 10, "4xx=" + client);
                assertTrue(closed <= CASES / 20, "connections cut instead of answered: " + closed);

                assertEquals(200, gw.client().get("/healthz", null).status());
                ApiClient.Response still = gw.client().submit(key, TestGateway.GOOD_REQUEST, TestImages.png(64, 64, 1));
                assertEquals(202, still.status(), still.toString());
                assertEquals(acceptedPhotos + 1, store.list("inputs/").get(20, TimeUnit.SECONDS).size(),
                        "only photos of accepted jobs are stored");
            }
        }
        assertEquals(uploadsBefore, countFiles(uploads), "no upload temp files");
    }

    private record Outcome(int status, String body) {
    }

    private static Outcome send(int port, String key, FuzzCase c) throws Exception {
        if (c.raw() != null) {
            return sendRaw(port, c.raw());
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest.Builder b;
        try {
            b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + c.path())).timeout(Duration.ofSeconds(30));
        } catch (IllegalArgumentException e) {
            return sendRaw(port, (c.method() + " " + c.path() + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + key
                    + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        }
        b.header("Authorization", "Bearer " + key);
        if (c.contentType() != null) {
            b.header("Content-Type", c.contentType());
        }
        c.headers().forEach(b::header);
        HttpRequest.BodyPublisher body = c.body() == null ? HttpRequest.BodyPublishers.noBody()
                : c.chunked() ? HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(c.body()))
                : HttpRequest.BodyPublishers.ofByteArray(c.body());
        try {
            HttpResponse<String> r = http.send(b.method(c.method(), body).build(), HttpResponse.BodyHandlers.ofString());
            return new Outcome(r.statusCode(), r.body());
        } catch (IOException e) {
            return new Outcome(0, e.toString());
        }
    }

    private static Outcome sendRaw(int port, byte[] raw) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(raw);
            out.flush();
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            String text = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            if (!text.startsWith("HTTP/1.")) {
                return new Outcome(0, text);
            }
            int status = Integer.parseInt(text.substring(9, 12));
            int bodyAt = text.indexOf("\r\n\r\n");
            return new Outcome(status, bodyAt < 0 ? "" : text.substring(bodyAt + 4));
        } catch (IOException e) {
            return new Outcome(0, e.toString());
        }
    }

    private static long countFiles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).count();
        }
    }
}
