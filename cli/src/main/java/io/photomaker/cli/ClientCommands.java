package io.photomaker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.photomaker.common.json.Json;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/** The API client commands: {@code submit}, {@code status} and {@code cancel}. */
public final class ClientCommands {
    private ClientCommands() {
    }

    /** submit, status and cancel. */
    public static List<Command> all() {
        return List.of(new Submit(), new Status(), new Cancel());
    }

    /** Options every API client command takes. */
    static final Set<String> CLIENT_OPTIONS = Set.of("url", "api-key");

    static ApiClient client(Args a) {
        String url = a.get("url", System.getenv().getOrDefault("PHOTOMAKER_URL", "http://127.0.0.1:8080"));
        return new ApiClient(URI.create(url.endsWith("/") ? url : url + "/"),
                a.get("api-key", System.getenv().getOrDefault("PHOTOMAKER_API_KEY", "")));
    }

    static String bar(int step, int total) {
        int width = 30;
        int filled = total <= 0 ? 0 : Math.min(width, step * width / total);
        return "[" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + step + "/" + total;
    }

    /** How long a just-submitted job may stay unknown to the gateway answering (its state view catching up). */
    private static final long UNKNOWN_GRACE_MS = 30_000;

    /** Polls the job until it ends, drawing a progress bar; returns the final job JSON. */
    public static JsonNode follow(ApiClient api, String id) throws Exception {
        String last = "";
        long unknownUntil = System.currentTimeMillis() + UNKNOWN_GRACE_MS;
        while (true) {
            ApiClient.Reply r = api.get("v1/jobs/" + id);
            if (r.status() == 404 && System.currentTimeMillis() < unknownUntil) {
                Thread.sleep(250);
                continue;
            }
            if (r.status() != 200) {
                throw new IllegalStateException(r.errorText());
            }
            JsonNode job = r.body();
            String status = job.path("status").asText();
            String line = String.format("%-9s %s", status,
                    bar(job.path("progress").path("step").asInt(), job.path("progress").path("total").asInt()));
            if (!line.equals(last)) {
                System.err.print("\r" + line);
                last = line;
            }
            if (Set.of("succeeded", "failed", "canceled", "expired").contains(status)) {
                System.err.println();
                return job;
            }
            Thread.sleep(250);
        }
    }

    private static final class Submit implements Command {
        @Override
        public String name() {
            return "submit";
        }

        @Override
        public String summary() {
            return "submit a job: --image a.jpg [--image b.jpg] --prompt \"a woman img ...\" [every job field as"
                    + " --field-name, e.g. --num-steps 30 --seed 7 --model photomaker-v2] [--wait] [--out DIR]";
        }

        @Override
        public Set<String> flags() {
            return Set.of("wait");
        }

        @Override
        public Set<String> options() {
            Set<String> options = new java.util.LinkedHashSet<>(CLIENT_OPTIONS);
            options.addAll(List.of("image", "out"));
            options.addAll(JobRequestFlags.names());
            return options;
        }

        @Override
        public int run(Args a) throws Exception {
            List<Path> images = a.all("image").stream().map(Path::of).toList();
            if (images.isEmpty()) {
                throw new Args.UsageException("at least one --image is required");
            }
            for (Path p : images) {
                if (!Files.isRegularFile(p)) {
                    throw new Args.UsageException("no such image file: " + p);
                }
            }
            if (a.get("prompt").isEmpty()) {
                throw new Args.UsageException("--prompt is required");
            }
            ObjectNode req = JobRequestFlags.toJson(a);
            ApiClient api = client(a);
            ApiClient.Reply r = api.submit(Json.string(req), images);
            if (r.status() != 202 && r.status() != 200) {
                System.err.println("rejected: " + r.errorText());
                return 1;
            }
            String id = r.body().path("id").asText();
            System.out.println(id);
            if (!a.flag("wait")) {
                return 0;
            }
            JsonNode job = follow(api, id);
            return save(api, job, Path.of(a.get("out", "out")));
        }
    }

    /** Writes a finished job's outputs into {@code dir}; returns 0, or 1 when the job did not succeed. */
    public static int save(ApiClient api, JsonNode job, Path dir) throws Exception {
        if (!"succeeded".equals(job.path("status").asText())) {
            System.err.println("job " + job.path("id").asText() + " " + job.path("status").asText() + ": "
                    + job.path("error").path("type").asText("") + " " + job.path("error").path("message").asText(""));
            return 1;
        }
        Files.createDirectories(dir);
        int n = 0;
        for (JsonNode o : job.path("outputs")) {
            Path target = dir.resolve(job.path("id").asText() + "-" + n + ".png");
            String url = o.path("url").asText();
            api.download(url.startsWith("/") ? url.substring(1) : url, target);
            System.out.println(target);
            JsonNode similarity = o.path("identity_similarity");
            if (!similarity.isMissingNode()) {
                System.err.println("  output " + n + ": identity_similarity=" + (similarity.isNumber()
                        ? String.format(java.util.Locale.ROOT, "%.3f", similarity.asDouble()) : "none (no face)")
                        + " generations=" + o.path("generations").asInt(1));
            }
            n++;
        }
        return 0;
    }

    private static final class Status implements Command {
        @Override
        public String name() {
            return "status";
        }

        @Override
        public String summary() {
            return "show a job: status ID";
        }

        @Override
        public Set<String> options() {
            return CLIENT_OPTIONS;
        }

        @Override
        public int run(Args a) throws Exception {
            String id = a.positional().stream().findFirst().orElseThrow(() -> new Args.UsageException("job id missing"));
            ApiClient.Reply r = client(a).get("v1/jobs/" + id);
            System.out.println(r.body() == null ? "" : Json.mapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(r.body()));
            return r.status() == 200 ? 0 : 1;
        }
    }

    private static final class Cancel implements Command {
        @Override
        public String name() {
            return "cancel";
        }

        @Override
        public String summary() {
            return "cancel a job: cancel ID";
        }

        @Override
        public Set<String> options() {
            return CLIENT_OPTIONS;
        }

        @Override
        public int run(Args a) throws Exception {
            String id = a.positional().stream().findFirst().orElseThrow(() -> new Args.UsageException("job id missing"));
            ApiClient.Reply r = client(a).post("v1/jobs/" + id + "/cancel");
            System.out.println(r.body() == null ? "HTTP " + r.status() : Json.string(r.body()));
            return r.status() < 300 ? 0 : 1;
        }
    }
}
