package io.photomaker.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.photomaker.testkit.fixtures.SamplePortraits;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateCommandTest {

    @TempDir
    static Path dir;
    static Path photo;

    @BeforeAll
    static void photos() throws Exception {
        photo = dir.resolve("face.jpg");
        Files.write(photo, SamplePortraits.jpeg(3, 200, 240));
    }

    @Test
    void generate_runs_the_tiny_pipeline_in_process_and_dumps_every_tensor() throws Exception {
        Path out = dir.resolve("out-a");
        Path dump = dir.resolve("dump");
        Console.Run run = generate(out, "--dump-tensors", dump.toString());

        assertEquals(0, run.exitCode(), run.err());
        List<Path> pngs = pngs(out);
        assertEquals(2, pngs.size(), "two outputs: " + run.out());
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(Files.readAllBytes(pngs.get(0))));
        assertEquals(64, image.getWidth());
        assertEquals(96, image.getHeight());
        assertTrue(run.err().contains("3/6]") || run.err().contains("] 6/6"), "a progress bar: " + run.err());
        JsonNode calls = new ObjectMapper().readTree(dump.resolve("calls.json").toFile());
        assertEquals(3, calls.path("num_steps").asInt(), "--num-steps is honoured");
        assertEquals(7, calls.path("seed").asLong());
        assertEquals("euler_a", calls.path("scheduler").asText());
        assertEquals("torch_cuda", calls.path("noise").asText());
        assertEquals("bfloat16", calls.path("noise_dtype").asText(), "the demo's dtype by default");
        assertTrue(Files.isRegularFile(dump.resolve("noise.npy")));
        assertTrue(Files.isRegularFile(dump.resolve("image-1.npy")));
    }

    @Test
    void the_same_seed_gives_the_same_pictures() throws Exception {
        Console.Run first = generate(dir.resolve("out-b"));
        Console.Run second = generate(dir.resolve("out-c"));
        assertEquals(0, first.exitCode(), first.err());
        assertEquals(0, second.exitCode(), second.err());
        List<Path> a = pngs(dir.resolve("out-b"));
        List<Path> b = pngs(dir.resolve("out-c"));
        for (int k = 0; k < a.size(); k++) {
            assertArrayEquals(Files.readAllBytes(a.get(k)), Files.readAllBytes(b.get(k)));
        }
    }

    @Test
    void service_fields_and_values_the_api_refuses_are_usage_errors() {
        Console.Run webhook = Console.run("generate", "--tiny", "--image", photo.toString(), "--prompt", "a man img",
                "--webhook", "https://example.test/hook");
        assertEquals(2, webhook.exitCode());
        assertTrue(webhook.err().contains("--webhook applies to jobs of the running service"), webhook.err());
        Console.Run size = Console.run("generate", "--tiny", "--image", photo.toString(), "--prompt", "a man img",
                "--width", "72");
        assertEquals(2, size.exitCode());
        assertTrue(size.err().contains("--width: width must be a multiple of 32"), size.err());
        Console.Run otherModel = Console.run("generate", "--tiny", "--image", photo.toString(), "--prompt", "a man img",
                "--width", "64", "--height", "64", "--num-steps", "1", "--model", "photomaker-v2");
        assertEquals(2, otherModel.exitCode());
        assertTrue(otherModel.err().contains("holds photomaker-v1"), otherModel.err());
        Console.Run noModels = Console.run("generate", "--image", photo.toString(), "--prompt", "a man img");
        assertEquals(2, noModels.exitCode());
        assertTrue(noModels.err().contains("--models DIR"), noModels.err());
    }

    @Test
    void a_prompt_without_the_trigger_word_fails_with_the_pipelines_error() {
        Console.Run run = Console.run("generate", "--tiny", "--image", photo.toString(), "--prompt", "a man",
                "--num-steps", "1", "--width", "64", "--height", "64", "--out", dir.resolve("out-d").toString());
        assertEquals(2, run.exitCode(), run.err());
        assertTrue(run.err().contains("trigger"), run.err());
    }

    private static Console.Run generate(Path out, String... extra) {
        List<String> argv = new java.util.ArrayList<>(List.of("generate", "--tiny", "--image", photo.toString(),
                "--prompt", "a photo of a woman img in the snow", "--num-steps", "3", "--width", "64", "--height", "96",
                "--seed", "7", "--scheduler", "euler_a", "--out", out.toString()));
        argv.addAll(List.of(extra));
        return Console.run(argv.toArray(String[]::new));
    }

    private static List<Path> pngs(Path out) throws Exception {
        try (Stream<Path> files = Files.list(out)) {
            return files.filter(p -> p.toString().endsWith(".png")).sorted().toList();
        }
    }
}
