package io.photomaker.gateway.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A small HTTP client for the gateway under test (java.net.http, HTTP/1.1, no redirects followed). */
public final class ApiClient {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;

    public ApiClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public String base() {
        return base;
    }

    /** One answer: status, headers and body. */
    public record Response(int status, Map<String, List<String>> headers, byte[] body) {
        public JsonNode json() {
            try {
                return MAPPER.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (status " + status + "): " + text(), e);
            }
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String header(String name) {
            for (var e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        /** error.type of an error body. */
        public String errorType() {
            return json().path("error").path("type").asText(null);
        }

        @Override
        public String toString() {
            return status + " " + text();
        }
    }

    public Response send(String method, String path, String key, byte[] body, String contentType,
                         Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(90));
        if (key != null) {
            b.header("Authorization", "Bearer " + key);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        headers.forEach(b::header);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Response(r.statusCode(), r.headers().map(), r.body());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Response get(String path, String key) {
        return send("GET", path, key, null, null, Map.of());
    }

    public Response post(String path, String key) {
        return send("POST", path, key, null, null, Map.of());
    }

    public Response delete(String path, String key) {
        return send("DELETE", path, key, null, null, Map.of());
    }

    public Response postJson(String path, String key, String json, Map<String, String> headers) {
        return send("POST", path, key, json.getBytes(StandardCharsets.UTF_8), "application/json", headers);
    }

    /** POST /v1/jobs as multipart with the {@code request} JSON and PNG/JPEG/WebP photos (type sniffed for the part header). */
    public Response submit(String key, String requestJson, byte[]... photos) {
        return submit(key, Map.of(), requestJson, photos);
    }

    public Response submit(String key, Map<String, String> headers, String requestJson, byte[]... photos) {
        Multipart m = new Multipart().field("request", requestJson);
        for (int i = 0; i < photos.length; i++) {
            String type = sniff(photos[i]);
            m.file("images", "photo" + i + "." + type.substring(6), type, photos[i]);
        }
        return send("POST", "/v1/jobs", key, m.build(), m.contentType(), headers);
    }

    static String sniff(byte[] b) {
        if (b.length > 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8) {
            return "image/jpeg";
        }
        if (b.length > 12 && b[8] == 'W' && b[9] == 'E' && b[10] == 'B' && b[11] == 'P') {
            return "image/webp";
        }
        return "image/png";
    }

    public static Map<String, String> headers(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
