package io.photomaker.gateway.fuzz;

import io.photomaker.gateway.support.Multipart;
import io.photomaker.gateway.support.TestImages;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Generates malformed requests of many kinds from a seeded {@link Random}, so every run sends the same ones. */
final class FuzzCases {
    private static final String GOOD = "{\"prompt\":\"a photo of a woman img\",\"num_steps\":4,\"width\":64,\"height\":64}";
    private static final List<String> FIELDS = List.of("prompt", "negative_prompt", "style", "num_steps", "guidance_scale",
            "guidance_rescale", "style_strength", "seed", "width", "height", "num_outputs", "scheduler", "identity_ids",
            "deadline_seconds", "webhook", "webhook_events");
    private static final List<String> WRONG_VALUES = List.of("\"text\"", "-1", "1e309", "[]", "{}", "true", "null",
            "1.5", "\"\"", "[1,2,3]", "99999999999999999999", "{\"a\":1}", "\"\\u0000\"", "-0.0");

    private final Random rnd;
    private final long maxBody;
    private final byte[] png;
    private final byte[] jpeg;
    private final byte[] webp;

    FuzzCases(long seed, long maxBody) {
        this.rnd = new Random(seed);
        this.maxBody = maxBody;
        this.png = TestImages.png(32, 32, seed);
        this.jpeg = TestImages.jpeg(32, 32, seed + 1);
        this.webp = TestImages.webpLossy();
    }

    FuzzCase next() {
        return switch (rnd.nextInt(14)) {
            case 0 -> brokenMultipart();
            case 1 -> truncatedImage();
            case 2 -> disguisedImage();
            case 3 -> headerBomb();
            case 4 -> wrongJsonType();
            case 5 -> missingOrUnknownField();
            case 6 -> triggerWordMistake();
            case 7 -> unicodeMess();
            case 8 -> oversizedPrompt();
            case 9 -> hugeBody();
            case 10 -> badDataUri();
            case 11 -> mangledJsonBody();
            case 12 -> badParameters();
            default -> malformedHttp();
        };
    }

    private byte[] anyImage() {
        return switch (rnd.nextInt(3)) {
            case 0 -> png;
            case 1 -> jpeg;
            default -> webp;
        };
    }

    private FuzzCase multipart(String label, String request, byte[]... images) {
        Multipart m = new Multipart("b" + rnd.nextInt(1_000_000));
        m.field("request", request);
        for (byte[] img : images) {
            m.file("images", "p.bin", rnd.nextBoolean() ? null : "application/octet-stream", img);
        }
        return FuzzCase.post(label, m.contentType(), m.build(), images.length);
    }

    private FuzzCase brokenMultipart() {
        Multipart m = new Multipart("real-boundary");
        m.field("request", GOOD).file("images", "a.png", "image/png", png);
        byte[] unterminated = m.unterminated();
        byte[] body = m.build();
        return switch (rnd.nextInt(7)) {
            case 0 -> FuzzCase.post("multipart boundary mismatch", "multipart/form-data; boundary=other", body, 1);
            case 1 -> FuzzCase.post("multipart without boundary", "multipart/form-data", body, 1);
            case 2 -> FuzzCase.post("multipart unterminated", m.contentType(), unterminated, 1);
            case 3 -> FuzzCase.post("multipart cut short", m.contentType(), TestImages.truncated(body, rnd.nextInt(body.length)), 1);
            case 4 -> {
                byte[] flipped = body.clone();
                for (int i = 0; i < 1 + rnd.nextInt(20); i++) {
                    flipped[rnd.nextInt(Math.min(200, flipped.length))] = (byte) rnd.nextInt(256);
                }
                yield FuzzCase.post("multipart framing flipped", m.contentType(), flipped, 1);
            }
            case 5 -> FuzzCase.post("multipart part without disposition", m.contentType(),
                    ("--real-boundary\r\nContent-Type: image/png\r\n\r\nxyz\r\n--real-boundary--\r\n")
                            .getBytes(StandardCharsets.US_ASCII), 0);
            default -> FuzzCase.post("multipart empty", m.contentType(), new byte[0], 0);
        };
    }

    private FuzzCase truncatedImage() {
        byte[] img = anyImage();
        int cut = 1 + rnd.nextInt(img.length - 1);
        return multipart("truncated image at " + cut, GOOD, png, TestImages.truncated(img, cut));
    }

    private FuzzCase disguisedImage() {
        byte[] noise = new byte[500 + rnd.nextInt(2000)];
        rnd.nextBytes(noise);
        return switch (rnd.nextInt(5)) {
            case 0 -> {
                byte[] b = noise.clone();
                System.arraycopy(png, 0, b, 0, 33);
                yield multipart("png header then noise", GOOD, b);
            }
            case 1 -> {
                byte[] b = noise.clone();
                b[0] = (byte) 0xFF;
                b[1] = (byte) 0xD8;
                b[2] = (byte) 0xFF;
                yield multipart("jpeg magic then noise", GOOD, b);
            }
            case 2 -> {
                Multipart m = new Multipart("d").field("request", GOOD).file("images", "x.png", "image/png",
                        "<html>not an image</html>".getBytes(StandardCharsets.UTF_8));
                yield FuzzCase.post("html sent as png", m.contentType(), m.build(), 1);
            }
            case 3 -> {
                Multipart m = new Multipart("d").field("request", GOOD).file("images", "x.webp", "image/webp", jpeg);
                yield FuzzCase.post("jpeg sent as webp", m.contentType(), m.build(), 1);
            }
            default -> {
                byte[] b = webp.clone();
                for (int i = 30; i < b.length; i += 1 + rnd.nextInt(8)) {
                    b[i] = (byte) rnd.nextInt(256);
                }
                yield multipart("webp with scrambled frame", GOOD, b);
            }
        };
    }

    private FuzzCase headerBomb() {
        int w = 20_000 + rnd.nextInt(2_000_000_000);
        int h = 20_000 + rnd.nextInt(100_000);
        if (rnd.nextBoolean()) {
            return multipart("png header claims " + w + "x" + h, GOOD, TestImages.pngHeaderOnly(w, h));
        }
        byte[] vp8x = "RIFF\0\0\0\0WEBPVP8X\n\0\0\0\0\0\0\0\u00ff\u00ff\u00ff\u00ff\u00ff\u00ff"
                .getBytes(StandardCharsets.ISO_8859_1);
        return multipart("webp canvas claims 16M x 16M", GOOD, vp8x);
    }

    private FuzzCase wrongJsonType() {
        String field = FIELDS.get(rnd.nextInt(FIELDS.size()));
        String value = WRONG_VALUES.get(rnd.nextInt(WRONG_VALUES.size()));
        String request = field.equals("prompt")
                ? "{\"prompt\":" + value + "}"
                : "{\"prompt\":\"a man img\",\"" + field + "\":" + value + ",\"num_steps\":-5}";
        return multipart("wrong type for " + field, request, png);
    }

    private FuzzCase missingOrUnknownField() {
        return switch (rnd.nextInt(3)) {
            case 0 -> multipart("missing prompt", "{\"num_steps\":4}", png);
            case 1 -> multipart("unknown field", "{\"prompt\":\"a man img\",\"" + randomWord() + "x\":1}", png);
            default -> {
                Multipart m = new Multipart("u").file("images", "a.png", "image/png", png);
                yield FuzzCase.post("missing request part", m.contentType(), m.build(), 1);
            }
        };
    }

    private FuzzCase triggerWordMistake() {
        String[] prompts = {"a photo of a man", "img of a woman", "a man img img", "a dog img", "a man, img",
            "a womanimg", "a woman img", "IMG IMG", "a boy img and a girl img"};
        String prompt = prompts[rnd.nextInt(prompts.length)];
        String negative = prompt.equals("a woman img") ? ",\"negative_prompt\":\"blurry img\"" : "";
        return multipart("trigger word: " + prompt, "{\"prompt\":\"" + prompt + "\"" + negative + "}", png);
    }

    private FuzzCase unicodeMess() {
        StringBuilder sb = new StringBuilder("a woman img ");
        for (int i = 0; i < 50; i++) {
            sb.appendCodePoint(switch (rnd.nextInt(4)) {
                case 0 -> 0x1F600 + rnd.nextInt(80);
                case 1 -> 0x0590 + rnd.nextInt(100);
                case 2 -> 0x4E00 + rnd.nextInt(2000);
                default -> 0x300 + rnd.nextInt(100);
            });
        }
        String json = "{\"prompt\":\"" + sb + "\",\"scheduler\":\"\u00e9uler\"}";
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        if (rnd.nextBoolean()) {
            bytes[10 + rnd.nextInt(bytes.length - 20)] = (byte) 0xC0;
        }
        Multipart m = new Multipart("z");
        m.raw(("--z\r\nContent-Disposition: form-data; name=\"request\"\r\n\r\n").getBytes(StandardCharsets.US_ASCII))
                .raw(bytes).raw("\r\n".getBytes(StandardCharsets.US_ASCII)).file("images", "\u00fc.png", "image/png", png);
        return FuzzCase.post("unicode and bad utf-8", m.contentType(), m.build(), 1);
    }

    private FuzzCase oversizedPrompt() {
        int n = 2001 + rnd.nextInt(150_000);
        String prompt = "a man img " + "x".repeat(n);
        return multipart("prompt of " + n + " chars", "{\"prompt\":\"" + prompt + "\"}", png);
    }

    private FuzzCase hugeBody() {
        byte[] body = new byte[(int) maxBody + 1 + rnd.nextInt(100_000)];
        rnd.nextBytes(body);
        boolean chunked = rnd.nextBoolean();
        String type = rnd.nextBoolean() ? "application/json" : "multipart/form-data; boundary=q";
        return new FuzzCase(chunked ? "huge chunked body" : "huge body", "POST", "/v1/jobs", type, body, Map.of(),
                chunked, null, 0);
    }

    private FuzzCase badDataUri() {
        String[] uris = {"data:image/png;base64,!!!!", "data:image/png,raw", "http://example.com/a.png",
            "data:;base64," + Base64.getEncoder().encodeToString("hello".getBytes(StandardCharsets.UTF_8)),
            "data:image/gif;base64," + Base64.getEncoder().encodeToString("GIF89a-------".getBytes(StandardCharsets.UTF_8)),
            "data:image/png;base64," + Base64.getEncoder().encodeToString(TestImages.truncated(png, 40)), ""};
        String uri = uris[rnd.nextInt(uris.length)];
        String json = "{\"prompt\":\"a man img\",\"images\":[\"" + uri + "\"]}";
        return FuzzCase.post("data-uri " + uri.substring(0, Math.min(24, uri.length())), "application/json",
                json.getBytes(StandardCharsets.UTF_8), 1);
    }

    private FuzzCase mangledJsonBody() {
        String good = "{\"prompt\":\"a man img\",\"images\":[\"" + TestImages.dataUri("image/png", png) + "\"]}";
        byte[] b = good.getBytes(StandardCharsets.UTF_8);
        return switch (rnd.nextInt(3)) {
            case 0 -> FuzzCase.post("json cut short", "application/json", TestImages.truncated(b, rnd.nextInt(b.length)), 1);
            case 1 -> {
                byte[] c = b.clone();
                c[rnd.nextInt(30)] = (byte) "{}[]\",:x\\".charAt(rnd.nextInt(9));
                yield FuzzCase.post("json byte replaced", "application/json", c, 1);
            }
            default -> FuzzCase.post("json images object", "application/json",
                    "{\"prompt\":\"a man img\",\"images\":{\"0\":1}}".getBytes(StandardCharsets.UTF_8), 0);
        };
    }

    private FuzzCase badParameters() {
        String[] paths = {"/v1/jobs?limit=abc", "/v1/jobs?limit=0", "/v1/jobs?limit=101", "/v1/jobs?status=done",
            "/v1/jobs?cursor=%00%ff", "/v1/jobs/%E2%98%83", "/v1/jobs/job_zzzzzzzzzzzzzzzzzzzzzzzzzz",
            "/v1/jobs/job_00000000000000000000000000/outputs/-1", "/v1/jobs/job_00000000000000000000000000/outputs/x",
            "/v1/jobs/../../etc/passwd", "/v1/jobs/" + "a".repeat(3000)};
        String[] methods = {"GET", "GET", "POST", "DELETE", "PATCH"};
        return new FuzzCase("parameters", methods[rnd.nextInt(methods.length)], paths[rnd.nextInt(paths.length)],
                null, null, Map.of(), false, null, 0);
    }

    private FuzzCase malformedHttp() {
        String[] raws = {
            "GET /v1/jobs HTTP/1.1\r\nHost: x\r\nBroken header line\r\n\r\n",
            "POST /v1/jobs HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
            "POST /v1/jobs HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nzz\r\n",
            "GET /" + "a".repeat(10_000) + " HTTP/1.1\r\nHost: x\r\n\r\n",
            "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(20_000) + "\r\n\r\n",
            "\u0001\u0002\u0003 / HTTP/1.1\r\n\r\n"};
        String raw = raws[rnd.nextInt(raws.length)];
        return new FuzzCase("malformed http", "RAW", "", null, null, Map.of(), false,
                raw.getBytes(StandardCharsets.ISO_8859_1), 0);
    }

    private String randomWord() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 3 + rnd.nextInt(10); i++) {
            sb.append((char) ('a' + rnd.nextInt(26)));
        }
        return sb.toString();
    }
}
