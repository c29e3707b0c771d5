package io.photomaker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.photomaker.common.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** A small client of the gateway's HTTP API, used by the CLI's submit, status and cancel commands. */
public final class ApiClient {
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
    private final URI base;
    private final String apiKey;

    public ApiClient(URI base, String apiKey) {
        this.base = base;
        this.apiKey = apiKey;
    }

    /** The answer of one call: status code and parsed JSON body (null when the body is not JSON). */
    public record Reply(int status, JsonNode body, String retryAfter) {
        public String errorText() {
            JsonNode e = body == null ? null : body.path("error");
            return e == null || e.isMissingNode() ? "HTTP " + status
                    : e.path("type").asText() + ": " + e.path("message").asText();
        }
    }

    /** A photo to upload. */
    public record Photo(String filename, byte[] bytes) {
    }

    /** Submits a job as multipart/form-data: the request JSON and the photo files. */
    public Reply submit(String requestJson, List<Path> images) throws IOException, InterruptedException {
        List<Photo> photos = new java.util.ArrayList<>();
        for (Path p : images) {
            photos.add(new Photo(p.getFileName().toString(), Files.readAllBytes(p)));
        }
        return submitPhotos(requestJson, photos);
    }

    /** Submits a job as multipart/form-data: the request JSON and the photos. */
    public Reply submitPhotos(String requestJson, List<Photo> photos) throws IOException, InterruptedException {
        return postPhotos("v1/jobs", requestJson, photos);
    }

    /** POSTs multipart/form-data to {@code path}: a {@code request} JSON part and {@code images} parts. */
    public Reply postPhotos(String path, String requestJson, List<Photo> photos) throws IOException, InterruptedException {
        String boundary = "pm-" + UUID.randomUUID();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        part(body, boundary, "request", null, "application/json", requestJson.getBytes(StandardCharsets.UTF_8));
        for (Photo p : photos) {
            part(body, boundary, "images", p.filename(), contentType(Path.of(p.filename())), p.bytes());
        }
        body.write(("--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpRequest req = request(path)
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())).build();
        return send(req);
    }

    public Reply get(String path) throws IOException, InterruptedException {
        return send(request(path).GET().build());
    }

    public Reply delete(String path) throws IOException, InterruptedException {
        return send(request(path).DELETE().build());
    }

    public Reply post(String path) throws IOException, InterruptedException {
        return send(request(path).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    /** Downloads {@code path} (following the redirect to storage) into {@code target}. */
    public void download(String path, Path target) throws IOException, InterruptedException {
        Files.write(target, fetch(path));
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
        if (apiKey != null && !apiKey.isEmpty()) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        return b;
    }

    /** Downloads {@code path} (following the redirect to storage) and returns the bytes. */
    public byte[] fetch(String path) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IOException("GET " + path + " answered HTTP " + r.statusCode());
        }
        return r.body();
    }

    private Reply send(HttpRequest req) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        JsonNode node = null;
        try {
            node = r.body().length == 0 ? null : Json.mapper().readTree(r.body());
        } catch (IOException e) {
            // not JSON: keep the status only
        }
        return new Reply(r.statusCode(), node, r.headers().firstValue("Retry-After").orElse(null));
    }

    private static void part(ByteArrayOutputStream out, String boundary, String name, String filename,
                             String type, byte[] data) throws IOException {
        StringBuilder h = new StringBuilder("--").append(boundary).append("\r\n")
                .append("Content-Disposition: form-data; name=\"").append(name).append('"');
        if (filename != null) {
            h.append("; filename=\"").append(filename.replace("\"", "")).append('"');
        }
        h.append("\r\nContent-Type: ").append(type).append("\r\n\r\n");
        out.write(h.toString().getBytes(StandardCharsets.UTF_8));
        out.write(data);
        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    static String contentType(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".png")) {
            return "image/png";
        }
        if (n.endsWith(".webp")) {
            return "image/webp";
        }
        return "image/jpeg";
    }
}
