package io.photomaker.worker.pipeline;

import io.photomaker.common.errors.ErrorType;
import io.photomaker.common.job.SchedulerName;
import io.photomaker.common.prompt.StyleTemplates;
import io.photomaker.testkit.models.TinyModelBuilder;
import io.photomaker.worker.onnx.ExecutionConfig;
import io.photomaker.worker.pipeline.schedule.Schedulers;
import io.photomaker.worker.stop.StopReason;
import io.photomaker.worker.stop.Stopped;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static io.photomaker.worker.pipeline.PipelineFixtures.decodePng;
import static io.photomaker.worker.pipeline.PipelineFixtures.distinctColours;
import static io.photomaker.worker.pipeline.PipelineFixtures.photo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PhotoMakerPipelineTest {

    @TempDir
    static Path dir;
    static PhotoMakerPipeline pipeline;
    static List<float[]> woman;
    static List<float[]> otherPerson;

    @BeforeAll
    static void load() throws Exception {
        TinyModelBuilder.create().build(dir);
        pipeline = PhotoMakerPipeline.load(dir, ExecutionConfig.cpu(1));
        woman = pipeline.encodeIdImages(List.of(photo(1, 300, 260)));
        otherPerson = pipeline.encodeIdImages(List.of(photo(2, 240, 240)));
    }

    @AfterAll
    static void close() {
        pipeline.close();
    }

    static GenerationRequest request(List<float[]> identity) {
        return GenerationRequest.of("a photo of a woman img wearing a red hat", identity)
                .withSize(72, 64).withSteps(8).withSeed(1234).withNumOutputs(1);
    }

    @Test
    void the_same_request_and_seed_give_identical_png_bytes() {
        byte[] first = pipeline.generate(request(woman), null, null).images().get(0).png();
        byte[] second = pipeline.generate(request(woman), null, null).images().get(0).png();

        assertArrayEquals(first, second);
        assertTrue(distinctColours(decodePng(first)) > 20, "the image should not be flat");
    }

    @Test
    void a_different_seed_gives_a_different_image() {
        byte[] first = pipeline.generate(request(woman), null, null).images().get(0).png();
        byte[] second = pipeline.generate(request(woman).withSeed(1235), null, null).images().get(0).png();

        assertFalse(Arrays.equals(first, second));
    }

    @Test
    void outputs_have_the_requested_size_and_are_slices_of_one_noise_draw() {
        GenerationResult result = pipeline.generate(request(woman).withSize(96, 64).withNumOutputs(2), null, null);
        // below the CUDA thread cap element e of a draw depends on e only, so the first slice of a two-output draw
        // is the whole of a one-output draw with the same seed
        GeneratedImage single = pipeline.generate(request(woman).withSize(96, 64), null, null).images().get(0);

        assertEquals(2, result.images().size());
        for (GeneratedImage image : result.images()) {
            BufferedImage png = decodePng(image.png());
            assertEquals(96, png.getWidth());
            assertEquals(64, png.getHeight());
            assertEquals(96, image.width());
            assertEquals(64, image.height());
        }
        assertEquals(1234, result.images().get(0).seed());
        assertEquals(1234, result.images().get(1).seed());
        assertArrayEquals(single.png(), result.images().get(0).png());
        assertFalse(Arrays.equals(result.images().get(0).png(), result.images().get(1).png()));
    }

    @Test
    void progress_is_reported_once_per_step_over_all_outputs() {
        var seen = new ArrayList<String>();

        pipeline.generate(request(woman).withNumOutputs(2), (step, total) -> seen.add(step + "/" + total), null);

        assertEquals(16, seen.size());
        assertEquals("1/16", seen.get(0));
        assertEquals("16/16", seen.get(15));
    }

    @Test
    void cancellation_stops_at_the_next_step_boundary() {
        long before = pipeline.models().unet().predictionCount();
        boolean[] cancelled = {false};
        ProgressListener cancelAfterThree = (step, total) -> cancelled[0] = step == 3;

        var e = assertThrows(Stopped.class, () -> pipeline.generate(request(woman), cancelAfterThree,
                () -> cancelled[0] ? Optional.of(StopReason.CANCELED_BY_USER) : Optional.empty()));

        assertEquals(3, e.completedSteps());
        assertEquals(StopReason.CANCELED_BY_USER, e.reason());
        assertEquals(3, pipeline.models().unet().predictionCount() - before);
    }

    @Test
    void without_guidance_one_unet_run_per_step_suffices() {
        long runs = pipeline.models().unet().sessionRunCount();

        byte[] png = pipeline.generate(request(woman).withGuidance(1, 0), null, null).images().get(0).png();

        assertEquals(8, pipeline.models().unet().sessionRunCount() - runs);
        assertEquals(72, decodePng(png).getWidth());
    }

    @Test
    void the_identity_is_merged_only_after_the_start_merge_step() {
        // style strength 100% of 8 steps: start_merge_step = 8, every step uses the text-only prompt
        byte[] textOnlyA = pipeline.generate(request(woman).withStyleStrength(100), null, null).images().get(0).png();
        byte[] textOnlyB = pipeline.generate(request(otherPerson).withStyleStrength(100), null, null).images().get(0).png();
        // 50%: steps 5..7 use the ID prompt, so the identity changes the image
        byte[] mergedA = pipeline.generate(request(woman).withStyleStrength(50), null, null).images().get(0).png();
        byte[] mergedB = pipeline.generate(request(otherPerson).withStyleStrength(50), null, null).images().get(0).png();

        assertArrayEquals(textOnlyA, textOnlyB);
        assertFalse(Arrays.equals(mergedA, mergedB));
        assertFalse(Arrays.equals(textOnlyA, mergedA));
    }

    @Test
    void several_identities_stack_and_change_the_result() {
        var mixed = new ArrayList<>(woman);
        mixed.addAll(otherPerson);

        byte[] one = pipeline.generate(request(woman), null, null).images().get(0).png();
        byte[] two = pipeline.generate(request(mixed), null, null).images().get(0).png();

        assertFalse(Arrays.equals(one, two));
    }

    @Test
    void every_scheduler_produces_its_own_image() {
        var images = new ArrayList<byte[]>();
        for (String name : SchedulerName.wireNames()) {
            images.add(pipeline.generate(request(woman).withScheduler(name), null, null).images().get(0).png());
        }
        for (int i = 0; i < images.size(); i++) {
            assertTrue(distinctColours(decodePng(images.get(i))) > 20, SchedulerName.wireNames().get(i));
            for (int j = i + 1; j < images.size(); j++) {
                assertFalse(Arrays.equals(images.get(i), images.get(j)), SchedulerName.wireNames().get(i) + " vs " + SchedulerName.wireNames().get(j));
            }
        }
    }

    @Test
    void id_images_seen_before_come_from_the_cache() {
        BufferedImage a = photo(11, 200, 220);
        BufferedImage b = photo(12, 200, 220);
        long hits = pipeline.idEmbeddingCache().hits();

        List<float[]> first = pipeline.encodeIdImages(List.of(a, b));
        List<float[]> again = pipeline.encodeIdImages(List.of(b, a));

        assertEquals(hits + 2, pipeline.idEmbeddingCache().hits());
        assertArrayEquals(first.get(0), again.get(1));
        assertArrayEquals(first.get(1), again.get(0));
        assertFalse(Arrays.equals(first.get(0), first.get(1)));
        assertEquals(TinyModelBuilder.ID_EMBED_DIM, first.get(0).length);
    }

    @Test
    void uploaded_photo_files_are_decoded_and_undecodable_ones_rejected_without_retry() throws Exception {
        BufferedImage photo = photo(13, 210, 230);
        var png = new java.io.ByteArrayOutputStream();
        javax.imageio.ImageIO.write(photo, "png", png);

        List<float[]> fromFile = pipeline.encodeIdImageFiles(List.of(png.toByteArray()));
        var e = assertThrows(PipelineException.class,
                () -> pipeline.encodeIdImageFiles(List.of("not an image at all".getBytes())));

        assertArrayEquals(pipeline.encodeIdImages(List.of(photo)).get(0), fromFile.get(0));
        assertEquals("unsupported_image_format", e.type());
        assertEquals("id_images", e.field());
        assertFalse(e.retryable());
    }

    @Test
    void prompt_errors_are_typed_and_not_retryable() {
        var missing = assertThrows(PipelineException.class,
                () -> pipeline.generate(request(woman).withPrompts("a photo of a woman", "", null), null, null));
        var inNegative = assertThrows(PipelineException.class,
                () -> pipeline.generate(request(woman).withPrompts("a woman img", "img", null), null, null));
        var style = assertThrows(PipelineException.class,
                () -> pipeline.generate(request(woman).withPrompts("a woman img", "", "Baroque"), null, null));

        assertEquals("trigger_word_missing", missing.type());
        assertFalse(missing.retryable());
        assertEquals("trigger_word_in_negative_prompt", inNegative.type());
        assertEquals("unknown_style", style.type());
        assertEquals("style", style.field());
    }

    @Test
    void bad_parameters_and_foreign_id_embeddings_are_rejected_naming_the_field() {
        var steps = assertThrows(PipelineException.class, () -> request(woman).withSteps(0));
        var size = assertThrows(PipelineException.class, () -> request(woman).withSize(100, 64));
        var embedding = assertThrows(PipelineException.class,
                () -> pipeline.generate(request(List.of(new float[2048])), null, null));

        assertEquals("steps", steps.field());
        assertEquals(ErrorType.INVALID_REQUEST.wireName(), size.type());
        assertEquals("width", size.field());
        assertEquals(ErrorType.INVALID_ID_EMBEDDING.wireName(), embedding.type());
        assertFalse(embedding.retryable());
    }

    @Test
    void the_default_style_and_negative_prompt_run() {
        GenerationRequest styled = request(woman).withPrompts("a portrait of a man img", StyleTemplates.DEFAULT_NEGATIVE_PROMPT,
                "Cinematic");

        GeneratedImage image = pipeline.generate(styled, null, null).images().get(0);

        assertEquals(64, decodePng(image.png()).getHeight());
    }
}
