package io.photomaker.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.photomaker.common.json.Json;
import io.photomaker.testkit.fixtures.SamplePortraits;
import io.photomaker.testkit.models.TinyModelBuilder;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code photomaker faces} on drawn portraits with the tiny face models. */
class FacesCommandTest {
    /** The options the command declares (Args refuses any other). */
    static final java.util.Set<String> OPTIONS = new FacesCommand(null).options();


    /** The command as the development launcher offers it, with --tiny. */
    private static final FacesCommand TINY = new FacesCommand(
            d -> TinyModelBuilder.create().photomakerVersion("v2").build(d));

    @TempDir
    Path dir;

    private List<JsonNode> run(String... argv) throws Exception {
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exit = TINY.run(Args.parse(List.of(argv), Set.of("tiny"), FacesCommandTest.OPTIONS),
                new PrintStream(captured, true, StandardCharsets.UTF_8));
        assertEquals(0, exit, captured.toString(StandardCharsets.UTF_8));
        return captured.toString(StandardCharsets.UTF_8).lines().map(l -> Json.read(l.getBytes(StandardCharsets.UTF_8),
                JsonNode.class)).toList();
    }

    @Test
    void each_picture_gets_a_json_line_with_its_face_and_an_aligned_crop_beside_it() throws Exception {
        Path portrait = dir.resolve("me.png");
        Files.write(portrait, SamplePortraits.png(5, 300, 400));
        Path empty = dir.resolve("wall.png");
        Files.write(empty, SamplePortraits.pngWithoutFace(5, 300, 400));
        List<JsonNode> lines = run("--tiny", portrait.toString(), empty.toString());

        JsonNode face = lines.get(0).path("faces").get(0);
        SamplePortraits.Layout layout = SamplePortraits.layout(5, 300, 400);
        assertEquals(layout.faceX1(), face.path("box").get(0).asDouble(), 0.03 * layout.faceWidth());
        assertEquals(layout.faceY2(), face.path("box").get(3).asDouble(), 0.03 * layout.faceHeight());
        assertEquals(5, face.path("keypoints").size());
        assertEquals(layout.keypoints()[0], face.path("keypoints").get(0).get(0).asDouble(), 0.05 * layout.faceWidth());
        assertEquals(640, lines.get(0).path("detector_size").asInt());
        BufferedImage crop = ImageIO.read(dir.resolve("me.face0.png").toFile());
        assertEquals(112, crop.getWidth());
        assertEquals(dir.resolve("me.face0.png").toString(), face.path("crop").asText());

        assertEquals(0, lines.get(1).path("faces").size());
        assertEquals(256, lines.get(1).path("detector_size").asInt(), "every size was tried");
    }

    @Test
    void dumped_tensors_are_the_detector_input_and_its_nine_outputs_as_npy() throws Exception {
        Path portrait = dir.resolve("p.jpg");
        Files.write(portrait, SamplePortraits.jpeg(6, 240, 320));
        Path dump = dir.resolve("tensors");
        run("--tiny", "--dump-tensors", dump.toString(), portrait.toString());
        Path files = dump.resolve("p");
        byte[] input = Files.readAllBytes(files.resolve("detector_input.npy"));
        assertTrue(new String(input, 0, 128, StandardCharsets.US_ASCII).contains("'shape': (1, 3, 640, 640)"));
        assertEquals(128 + 3 * 640 * 640 * 4, input.length);
        for (int i = 0; i < 9; i++) {
            assertTrue(Files.isRegularFile(files.resolve("detector_output_" + i + ".npy")), "output " + i);
        }
        String scores32 = new String(Files.readAllBytes(files.resolve("detector_output_2.npy")), 0, 128,
                StandardCharsets.US_ASCII);
        assertTrue(scores32.contains("'shape': (800, 1)"), scores32);
        assertTrue(Files.isRegularFile(files.resolve("embedding_0.npy")));
    }

    @Test
    void the_production_command_line_has_no_tiny_models() {
        Args.UsageException e = assertThrows(Args.UsageException.class, () -> new FacesCommand(null).run(
                Args.parse(List.of("--tiny", "x.png"), Set.of("tiny"), FacesCommandTest.OPTIONS),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("--models DIR"), e.getMessage());
    }

    @Test
    void a_model_directory_without_face_models_is_a_usage_error() throws Exception {
        Path models = dir.resolve("v1");
        TinyModelBuilder.create().build(models);
        Path portrait = dir.resolve("x.png");
        Files.write(portrait, SamplePortraits.png(1, 100, 120));
        Args.UsageException e = assertThrows(Args.UsageException.class, () -> TINY.run(
                Args.parse(List.of("--models", models.toString(), portrait.toString()), Set.of("tiny"), FacesCommandTest.OPTIONS),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("no face models"), e.getMessage());
    }
}
