package io.photomaker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.photomaker.common.job.IdentityRef;
import io.photomaker.common.job.JobRequest;
import io.photomaker.gateway.submit.RequestParser;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class CommandLineFlagsTest {

    /** A value for every job field, none of them a default. */
    private static final Map<String, List<String>> EVERY_FIELD = Map.ofEntries(
            Map.entry("prompt", List.of("a photo of a man img")),
            Map.entry("negative-prompt", List.of("")),
            Map.entry("style", List.of("Cinematic")),
            Map.entry("num-steps", List.of("30")),
            Map.entry("guidance-scale", List.of("7.5")),
            Map.entry("guidance-rescale", List.of("0.25")),
            Map.entry("style-strength", List.of("35")),
            Map.entry("seed", List.of("1234567890123")),
            Map.entry("width", List.of("768")),
            Map.entry("height", List.of("1024")),
            Map.entry("num-outputs", List.of("3")),
            Map.entry("scheduler", List.of("euler_a")),
            Map.entry("noise", List.of("torch_cpu")),
            Map.entry("noise-dtype", List.of("float32")),
            Map.entry("identity-ids", List.of("idn_a:2", "idn_b")),
            Map.entry("deadline-seconds", List.of("600")),
            Map.entry("webhook", List.of("https://example.test/hook")),
            Map.entry("webhook-events", List.of("started,completed")),
            Map.entry("model", List.of("photomaker-v2")),
            Map.entry("min-identity-similarity", List.of("0.45")),
            Map.entry("max-regenerations", List.of("2")),
            Map.entry("output-format", List.of("webp")),
            Map.entry("output-quality", List.of("75")));

    @Test
    void every_job_request_field_has_a_flag_named_after_it() {
        Set<String> expected = new TreeSet<>();
        for (RecordComponent c : JobRequest.class.getRecordComponents()) {
            expected.add(JobRequestFlags.snakeCase(c.getName()).replace('_', '-'));
        }
        assertEquals(expected, new TreeSet<>(JobRequestFlags.names()));
        assertEquals(expected, new TreeSet<>(EVERY_FIELD.keySet()), "this test sets every field");
    }

    @Test
    void the_flags_are_the_fields_of_the_published_api() throws Exception {
        JsonNode schema;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("openapi.json")) {
            schema = new ObjectMapper().readTree(in).at("/components/schemas/JobRequest/properties");
        }
        Set<String> api = new TreeSet<>();
        schema.fieldNames().forEachRemaining(name -> api.add(name.replace('_', '-')));
        assertEquals(api, new TreeSet<>(JobRequestFlags.names()));
    }

    @Test
    void every_flag_reaches_its_field_of_the_request_the_gateway_parses() {
        Args args = Args.parse(argv(EVERY_FIELD), Set.of(), JobRequestFlags.names());
        JobRequest r = RequestParser.parse(JobRequestFlags.toJson(args), Set.of());

        assertEquals("a photo of a man img", r.prompt());
        assertEquals("", r.negativePrompt());
        assertEquals("Cinematic", r.style());
        assertEquals(30, r.numSteps());
        assertEquals(7.5, r.guidanceScale());
        assertEquals(0.25, r.guidanceRescale());
        assertEquals(35.0, r.styleStrength());
        assertEquals(1234567890123L, r.seed());
        assertEquals(768, r.width());
        assertEquals(1024, r.height());
        assertEquals(3, r.numOutputs());
        assertEquals("euler_a", r.scheduler());
        assertEquals("torch_cpu", r.noise());
        assertEquals("float32", r.noiseDtype());
        assertEquals(List.of(new IdentityRef("idn_a", 2), new IdentityRef("idn_b", 1)), r.identityIds());
        assertEquals(600L, r.deadlineSeconds());
        assertEquals("https://example.test/hook", r.webhook());
        assertEquals(List.of("started", "completed"), r.webhookEvents());
        assertEquals("photomaker-v2", r.model());
        assertEquals(0.45, r.minIdentitySimilarity());
        assertEquals(2, r.maxRegenerations());
        assertEquals("webp", r.outputFormat());
        assertEquals(75, r.outputQuality());
        for (RecordComponent c : JobRequest.class.getRecordComponents()) {
            try {
                assertNotNull(c.getAccessor().invoke(r), c.getName() + " was not set by its flag");
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void submit_and_generate_take_every_job_flag() {
        for (String name : List.of("submit", "generate")) {
            Command command = Main.commands().get(name).orElseThrow();
            Args args = Args.parse(argv(EVERY_FIELD), command.flags(), command.options());
            assertEquals("30", args.get("num-steps").orElseThrow(), name);
        }
    }

    @Test
    void every_command_refuses_an_unknown_option_with_a_usage_error() {
        for (String name : Main.commands().all().stream().map(Command::name).toList()) {
            Console.Run run = Console.run(name, "--no-such-option", "1");
            assertEquals(2, run.exitCode(), name + ": " + run.err());
            assertTrue(run.err().contains("unknown option --no-such-option"), name + ": " + run.err());
        }
        Console.Run run = Console.run("status", "-x");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("unknown option -x"), run.err());
    }

    @Test
    void a_number_flag_with_text_is_a_usage_error_naming_the_flag() {
        Console.Run run = Console.run("generate", "--tiny", "--image", "x.png", "--prompt", "a man img",
                "--num-steps", "many");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().contains("--num-steps must be a whole number, was many"), run.err());
    }

    private static List<String> argv(Map<String, List<String>> values) {
        List<String> argv = new ArrayList<>();
        values.forEach((flag, list) -> list.forEach(v -> {
            argv.add("--" + flag);
            argv.add(v);
        }));
        return argv;
    }
}
