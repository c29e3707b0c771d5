package io.photomaker.devtools.cluster;

import io.photomaker.testkit.fixtures.HostileImages;
import io.photomaker.testkit.fixtures.SamplePortraits;
import io.photomaker.testkit.http.H2Raw;
import io.photomaker.testkit.http.RawHttp;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The attacks of the suite, each against a running gateway over raw connections, each returning what came back.
 * They are written from the attacker's side: malformed on purpose, too many, too slow, too large.
 */
final class Attacks {
    private static final Duration ANSWER = Duration.ofSeconds(30);
    private static final String REQUEST = "{\"prompt\":\"a photo of a woman img\",\"num_steps\":2,\"width\":64,"
            + "\"height\":64}";

    private final int port;
    private final String evilKey;
    private final String bulkKey;
    private final String slowKey;

    /** Three attacking tenants, so one attack's refusals by rate or quota do not decide another's outcome. */
    Attacks(int port, String evilKey, String bulkKey, String slowKey) {
        this.port = port;
        this.evilKey = evilKey;
        this.bulkKey = bulkKey;
        this.slowKey = slowKey;
    }

    /** The decompression bombs, one submission each; every one must be refused before it is decoded. */
    List<AttackOutcome> imageBombs() {
        Map<String, byte[]> bombs = new LinkedHashMap<>();
        bombs.put("webp frame 16383x16383 in 64x64", HostileImages.webpFrameLargerThanCanvas());
        bombs.put("webp frame of 268 Mpx", HostileImages.webpHugeFrame());
        bombs.put("webp lossless 65536 code groups", HostileImages.webpLosslessGroupBomb(64, 64));
        bombs.put("jpeg with 5000 progressive scans", HostileImages.jpegScanFlood(5000));
        bombs.put("jpeg progressive 40 Mpx", HostileImages.jpegProgressiveGiant(8000, 5000));
        bombs.put("jpeg sampling factors 15x15", HostileImages.jpegHugeSamplingFactors());
        bombs.put("png declaring 2.5 Gpx", HostileImages.pngHugeHeader(50_000, 50_000));
        bombs.put("png zlib bomb (64 MiB of rows)", HostileImages.pngInflatesPastItsRows(64 << 20));
        List<AttackOutcome> out = new ArrayList<>();
        bombs.forEach((name, bytes) -> {
            AttackOutcome.Tally t = new AttackOutcome.Tally("bomb: " + name, 0);
            RawHttp.Answer a = post("/v1/jobs", evilKey, multipart(REQUEST, "bomb", bytes));
            out.add(t.answer(status(a)).note(errorType(a) + ", " + bytes.length + " bytes").outcome());
        });
        AttackOutcome.Tally identity = new AttackOutcome.Tally("bomb: webp code groups as an identity", 0);
        RawHttp.Answer a = post("/v1/identities", evilKey, multipart(null, "bomb",
                HostileImages.webpLosslessGroupBomb(64, 64)));
        out.add(identity.answer(status(a)).note(errorType(a)).outcome());
        return out;
    }

    /**
     * Many connections that send their headers, then one byte at a time, each body announced larger than what
     * arrives: control-endpoint bodies and submissions alike must be cut off by the body's time budget (or by
     * the tenant's quota before any body is read).
     */
    AttackOutcome slowBodies(int connections, Duration trickleFor) throws InterruptedException {
        AttackOutcome.Tally t = new AttackOutcome.Tally("slow bodies on " + connections + " connections", 0);
        List<RawHttp> open = new ArrayList<>();
        for (int i = 0; i < connections; i++) {
            RawHttp c = RawHttp.open(port);
            String path = i % 4 == 0 ? "/v1/jobs" : "/v1/jobs/job_" + UUID.randomUUID().toString().replace("-", "")
                    + "/cancel";
            String type = i % 4 == 0 ? "multipart/form-data; boundary=x" : "application/json";
            c.postHead(path, type, 60_000, slowKey);
            open.add(c);
        }
        long end = System.nanoTime() + trickleFor.toNanos();
        while (System.nanoTime() < end) {
            for (RawHttp c : open) {
                c.trySend(new byte[] {' '});
            }
            // one byte per connection every 200 ms: a trickle that resets any idle timer
            Thread.sleep(200);
        }
        int timedOut = 0;
        for (RawHttp c : open) {
            RawHttp.Answer a = c.readAnswer(ANSWER);
            t.answer(status(a));
            timedOut += a != null && a.status() == 408 ? 1 : 0;
            c.close();
        }
        return t.note(timedOut + " answered 408 body_timeout").outcome();
    }

    /** Bulk uploads that never finish, more than the body budget holds together. */
    AttackOutcome bodyBudgetFlood(int connections, int bytesEach) {
        AttackOutcome.Tally t = new AttackOutcome.Tally("unfinished uploads past the body budget", 0);
        List<RawHttp> open = new ArrayList<>();
        byte[] chunk = new byte[256 * 1024];
        for (int i = 0; i < connections; i++) {
            RawHttp c = RawHttp.open(port);
            c.postHead("/v1/identities", "multipart/form-data; boundary=x", 16L << 20, bulkKey);
            for (int sent = 0; sent < bytesEach && c.trySend(chunk); sent += chunk.length) {
                // keeps sending until the server stops reading or closes
            }
            open.add(c);
        }
        int budget = 0;
        for (RawHttp c : open) {
            RawHttp.Answer a = c.readAnswer(ANSWER);
            t.answer(status(a));
            budget += a != null && a.text().contains("body_budget_exhausted") ? 1 : 0;
            c.close();
        }
        return t.note(budget + " refused by the body budget").outcome();
    }

    /** A body announced at 10 GB: refused from its Content-Length, nothing reserved. */
    AttackOutcome hugeContentLength() {
        AttackOutcome.Tally t = new AttackOutcome.Tally("Content-Length of 10 GB", 0);
        try (RawHttp c = RawHttp.open(port)) {
            c.postHead("/v1/jobs", "multipart/form-data; boundary=x", 10_000_000_000L, bulkKey);
            RawHttp.Answer a = c.readAnswer(ANSWER);
            return t.answer(status(a)).note(errorType(a)).outcome();
        }
    }

    /** 100,000 empty parts in one body. */
    AttackOutcome partFlood() {
        AttackOutcome.Tally t = new AttackOutcome.Tally("multipart with 100000 parts", 0);
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 100_000; i++) {
            b.append("--x\r\nContent-Disposition: form-data; name=\"images\"\r\n\r\n\r\n");
        }
        b.append("--x--\r\n");
        byte[] body = b.toString().getBytes(StandardCharsets.US_ASCII);
        try (RawHttp c = RawHttp.open(port)) {
            c.postHead("/v1/identities", "multipart/form-data; boundary=x", body.length, bulkKey);
            c.trySend(body);
            RawHttp.Answer a = c.readAnswer(ANSWER);
            return t.answer(status(a)).note(errorType(a)).outcome();
        }
    }

    /** 64 KB of request headers over HTTP/1.1. */
    AttackOutcome headerFlood() {
        AttackOutcome.Tally t = new AttackOutcome.Tally("64 KB of HTTP/1.1 headers", 0);
        StringBuilder head = new StringBuilder("GET /v1/jobs HTTP/1.1\r\nHost: x\r\nX-API-Key: " + evilKey + "\r\n");
        for (int i = 0; i < 64; i++) {
            head.append("X-Filler-").append(i).append(": ").append("a".repeat(1000)).append("\r\n");
        }
        head.append("\r\n");
        try (RawHttp c = RawHttp.open(port)) {
            c.trySend(head.toString().getBytes(StandardCharsets.US_ASCII));
            RawHttp.Answer a = c.readAnswer(ANSWER);
            return t.answer(status(a)).outcome();
        }
    }

    /**
     * 500 HTTP/2 streams on one connection, each a request whose body never comes: every open stream would hold
     * an upload, so past the server's concurrency limit they must be refused, and the ones let in time out.
     */
    AttackOutcome h2StreamFlood() {
        AttackOutcome.Tally t = new AttackOutcome.Tally("HTTP/2 500 streams on one connection", 0);
        try (H2Raw c = H2Raw.open(port)) {
            int opened = 0;
            Map<String, String> headers = Map.of("x-api-key", slowKey, "content-type", "application/json",
                    "content-length", "1000");
            for (int stream = 1; opened < 500 && c.request(stream, "POST", "/v1/jobs/job_"
                    + UUID.randomUUID().toString().replace("-", "") + "/cancel", headers, false); stream += 2) {
                opened++;
            }
            H2Raw.Tally got = c.readFor(Duration.ofSeconds(8));
            return tally(t, opened, got).note(got.refused() + " streams refused, " + got.statuses4xx()
                    + " answered 4xx").outcome();
        }
    }

    /** HTTP/2 streams opened and reset at once, thousands of times (the "rapid reset" flood). */
    AttackOutcome h2RapidReset() {
        AttackOutcome.Tally t = new AttackOutcome.Tally("HTTP/2 rapid reset, 5000 streams", 5000);
        try (H2Raw c = H2Raw.open(port)) {
            int opened = 0;
            for (int stream = 1; opened < 5000; stream += 2) {
                if (!c.request(stream, "GET", "/v1/jobs", Map.of("x-api-key", evilKey), true)
                        || !c.reset(stream, H2Raw.CANCEL)) {
                    break;
                }
                opened++;
            }
            H2Raw.Tally got = c.readFor(Duration.ofSeconds(5));
            AttackOutcome.Tally result = t.add(opened, 0, 0, got.goaway() || got.closed() ? 1 : 0, got.statuses5xx());
            return result.note("server " + (got.goaway() ? "sent GOAWAY" : "kept the connection") + " after "
                    + opened + " resets").outcome();
        }
    }

    /** One HTTP/2 request whose header list is larger than the server allows. */
    AttackOutcome h2HeaderFlood() {
        AttackOutcome.Tally t = new AttackOutcome.Tally("HTTP/2 52 KB header list", 0);
        try (H2Raw c = H2Raw.open(port)) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("x-api-key", evilKey);
            for (int i = 0; i < 40; i++) {
                headers.put("x-filler-" + i, "b".repeat(1300));
            }
            c.request(1, "GET", "/v1/jobs", headers, true);
            return tally(t, 1, c.readFor(Duration.ofSeconds(5))).outcome();
        }
    }

    /** Identity creations as fast as possible: the quota and the tenant's rate must stop them. */
    AttackOutcome identityFlood(int attempts, int quota) {
        AttackOutcome.Tally t = new AttackOutcome.Tally("identity flood", quota);
        byte[] photo = SamplePortraits.png(5, 64, 64);
        int over = 0;
        for (int i = 0; i < attempts; i++) {
            RawHttp.Answer a = post("/v1/identities", evilKey, multipart(null, "photo.png", photo));
            t.answer(status(a));
            over += a != null && (a.status() == 403 || a.status() == 429) ? 1 : 0;
        }
        return t.note(over + " refused by quota or rate").outcome();
    }

    /** Event streams opened on one job until the caps answer 429; returns the connections so they stay open. */
    AttackOutcome sseFlood(String jobId, int attempts, int cap, List<RawHttp> keepOpen) {
        AttackOutcome.Tally t = new AttackOutcome.Tally("event stream flood", cap);
        int refused = 0;
        for (int i = 0; i < attempts; i++) {
            RawHttp c = RawHttp.open(port);
            c.send(("GET /v1/jobs/" + jobId + "/events HTTP/1.1\r\nHost: x\r\nX-API-Key: " + evilKey
                    + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            RawHttp.Answer a = c.readHead(ANSWER);
            t.answer(status(a));
            if (a != null && a.status() == 200) {
                keepOpen.add(c);
            } else {
                refused++;
                c.close();
            }
        }
        return t.note(keepOpen.size() + " streams held open, " + refused + " refused").outcome();
    }

    /** Webhook replays of a job's deliveries, well-formed and not, far past the replay rate. */
    AttackOutcome replayAbuse(String ownJob, String otherTenantsJob) {
        AttackOutcome.Tally t = new AttackOutcome.Tally("webhook replay abuse", 0);
        for (int i = 0; i < 20; i++) {
            t.answer(status(post("/v1/jobs/" + ownJob + "/webhooks/msg_" + ownJob + "_" + (i % 3 + 2) + "/replay",
                    evilKey, null)));
        }
        t.answer(status(post("/v1/jobs/" + ownJob + "/webhooks/msg_" + otherTenantsJob + "_3/replay", evilKey, null)));
        t.answer(status(post("/v1/jobs/" + ownJob + "/webhooks/..%2f..%2fadmin/replay", evilKey, null)));
        t.answer(status(post("/v1/jobs/" + otherTenantsJob + "/webhooks/msg_" + otherTenantsJob + "_3/replay",
                evilKey, null)));
        return t.outcome();
    }

    /** Requests that pretend to be someone else: no key, a wrong key, another tenant's resources. */
    AttackOutcome forgedTenants(String otherTenantsJob, String goodKey) {
        AttackOutcome.Tally t = new AttackOutcome.Tally("forged tenants", 0);
        t.answer(status(get("/v1/jobs/" + otherTenantsJob, null, Map.of())));
        t.answer(status(get("/v1/jobs/" + otherTenantsJob, goodKey.substring(0, goodKey.length() - 1) + "x",
                Map.of())));
        t.answer(status(get("/v1/jobs/" + otherTenantsJob, evilKey, Map.of("X-Tenant", "good", "X-Forwarded-User",
                "good"))));
        t.answer(status(get("/v1/jobs/" + otherTenantsJob + "/events", evilKey, Map.of())));
        t.answer(status(get("/v1/jobs/" + otherTenantsJob + "/webhooks", evilKey, Map.of())));
        t.answer(status(post("/v1/jobs/" + otherTenantsJob + "/cancel", evilKey, null)));
        t.answer(status(get("/v1/webhooks/default/secret", "whsec_guess", Map.of())));
        t.answer(status(get("/readyz", null, Map.of())));
        t.answer(status(get("/metrics", null, Map.of())));
        return t.outcome();
    }

    private static AttackOutcome.Tally tally(AttackOutcome.Tally t, int streams, H2Raw.Tally got) {
        int answered = got.responses();
        int refused = got.statuses4xx() + got.refused();
        int cut = got.closed() || got.goaway() ? Math.max(1, streams - answered - got.resets()) : 0;
        return t.add(streams, answered - got.statuses4xx() - got.statuses5xx(), refused, cut, got.statuses5xx());
    }

    RawHttp.Answer post(String path, String key, byte[] multipartBody) {
        try (RawHttp c = RawHttp.open(port)) {
            byte[] body = multipartBody == null ? new byte[0] : multipartBody;
            c.postHead(path, multipartBody == null ? "application/json" : "multipart/form-data; boundary=" + BOUNDARY,
                    body.length, key);
            c.trySend(body);
            return c.readAnswer(ANSWER);
        }
    }

    RawHttp.Answer get(String path, String key, Map<String, String> headers) {
        StringBuilder head = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: x\r\n");
        if (key != null) {
            head.append("Authorization: Bearer ").append(key).append("\r\n");
        }
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("Connection: close\r\n\r\n");
        try (RawHttp c = RawHttp.open(port)) {
            c.trySend(head.toString().getBytes(StandardCharsets.US_ASCII));
            return c.readHead(ANSWER);
        }
    }

    private static final String BOUNDARY = "attack-7f3e";

    static byte[] multipart(String requestJson, String filename, byte[] image) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (requestJson != null) {
            out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"request\"\r\n\r\n"
                    + requestJson + "\r\n").getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"images\"; filename=\""
                + filename + "\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(image);
        out.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    private static int status(RawHttp.Answer a) {
        return a == null ? 0 : a.status();
    }

    private static String errorType(RawHttp.Answer a) {
        if (a == null) {
            return "closed";
        }
        int at = a.text().indexOf("\"type\":\"");
        return a.status() + (at < 0 ? "" : " " + a.text().substring(at + 8, a.text().indexOf('"', at + 8)));
    }
}
