package io.photomaker.devtools;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.photomaker.cli.ApiClient;
import io.photomaker.cli.Args;
import io.photomaker.cli.ClientCommands;
import io.photomaker.cli.Command;
import io.photomaker.common.json.Json;
import io.photomaker.common.model.ModelManifest;
import io.photomaker.common.model.ModelNames;
import io.photomaker.common.process.ServiceRunner;
import io.photomaker.testkit.fixtures.SamplePortraits;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code dev}: the whole system in one JVM until Ctrl-C, with a photomaker-v1 and a photomaker-v2 fleet on the
 * tiny models (or one fleet on {@code --models DIR}). {@code demo}: the same for one model ({@code --model},
 * default photomaker-v1), then one job with two sample ID photos drawn by our code, waits for it and writes the
 * PNGs to {@code ./out/}.
 */
final class DevCommand implements Command {
    private final boolean demo;

    private DevCommand(boolean demo) {
        this.demo = demo;
    }

    static List<Command> all() {
        return List.of(new DevCommand(false), new DevCommand(true));
    }

    @Override
    public String name() {
        return demo ? "demo" : "dev";
    }

    @Override
    public String summary() {
        return demo ? "run the system, submit one job with sample photos, write PNGs to ./out/ (--model photomaker-v2,"
                + " --out DIR, --models DIR)"
                : "embedded Kafka + S3 + gateway + V1 and V2 workers + tiny models in one JVM (--port 8080, --models DIR,"
                + " --workers N)";
    }

    @Override
    public Set<String> flags() {
        return Set.of();
    }

    @Override
    public Set<String> options() {
        return demo ? Set.of("model", "models", "port", "workers", "out", "steps", "size")
                : Set.of("model", "models", "port", "workers");
    }

    @Override
    public int run(Args a) throws Exception {
        Path models = a.get("models").map(Path::of).orElse(null);
        int port = a.getInt("port", demo ? 0 : 8080);
        String model = a.get("model", models == null ? ModelNames.V1 : ModelManifest.read(models).servedModel());
        if (!ModelNames.isKnown(model)) {
            throw new Args.UsageException("--model must be one of " + String.join(", ", ModelNames.ALL));
        }
        List<String> tiny = demo ? List.of(model) : ModelNames.ALL;
        EmbeddedStack stack = EmbeddedStack.start(port, a.getInt("workers", 1), models, Map.of(), tiny);
        System.out.println("PhotoMaker is running at " + stack.url() + "/ (dev mode: no API key needed, 127.0.0.1 only)");
        System.out.println("Readiness and metrics: " + stack.managementUrl() + "/readyz, " + stack.managementUrl()
                + "/metrics");
        if (models == null) {
            System.out.println("models: the bundled tiny model sets, serving " + String.join(", ", stack.servedModels())
                    + " (proves the machinery; draws noise, not portraits)");
        }
        System.out.flush();
        if (!demo) {
            ServiceRunner.runUntilStopped(stack);
            return 0;
        }
        try (stack) {
            return runDemoJob(stack, model, Path.of(a.get("out", "out")), a.getInt("steps", 20), a.getInt("size", 512));
        }
    }

    private static int runDemoJob(EmbeddedStack stack, String model, Path out, int steps, int size) throws Exception {
        ApiClient api = new ApiClient(URI.create(stack.url() + "/"), "");
        ObjectNode req = Json.mapper().createObjectNode();
        req.put("model", model);
        req.put("prompt", "a photo of a woman img wearing a spacesuit, stars in the background");
        req.put("style", "Photographic (Default)");
        req.put("num_steps", steps);
        req.put("width", size);
        req.put("height", size);
        req.put("num_outputs", 2);
        req.put("seed", 42);
        List<ApiClient.Photo> photos = List.of(
                new ApiClient.Photo("id-photo-1.jpg", SamplePortraits.jpeg(1, 320, 400)),
                new ApiClient.Photo("id-photo-2.png", SamplePortraits.png(2, 320, 400)));
        ApiClient.Reply r = api.submitPhotos(Json.string(req), photos);
        if (r.status() != 202 && r.status() != 200) {
            System.err.println("demo: submission refused: " + r.errorText());
            return 1;
        }
        String id = r.body().path("id").asText();
        System.out.println("submitted job " + id + " (" + model + ", 2 ID photos, " + steps + " steps, " + size + "x"
                + size + ")");
        JsonNode job = ClientCommands.follow(api, id);
        return ClientCommands.save(api, job, out);
    }
}
