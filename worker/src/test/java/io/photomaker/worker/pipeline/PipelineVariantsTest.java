package io.photomaker.worker.pipeline;

import io.photomaker.common.errors.ErrorType;
import io.photomaker.common.model.ModelManifest;
import io.photomaker.common.model.ModelRole;
import io.photomaker.testkit.models.TinyModelBuilder;
import io.photomaker.worker.onnx.ExecutionConfig;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static io.photomaker.worker.pipeline.PipelineFixtures.decodePng;
import static io.photomaker.worker.pipeline.PipelineFixtures.distinctColours;
import static io.photomaker.worker.pipeline.PipelineFixtures.maxChannelDifference;
import static io.photomaker.worker.pipeline.PipelineFixtures.photo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The same generation on differently exported model sets of the same weights. */
class PipelineVariantsTest {

    @TempDir
    Path dir;

    private BufferedImage generate(TinyModelBuilder builder, String name, int[] unetRunsPerStep) throws Exception {
        Path models = dir.resolve(name);
        builder.build(models);
        try (var pipeline = PhotoMakerPipeline.load(models, ExecutionConfig.cpu(1))) {
            List<float[]> identity = pipeline.encodeIdImages(List.of(photo(3, 260, 300), photo(4, 250, 250)));
            var request = GenerationRequest.of("a close up portrait of a man img with glasses", identity)
                    .withSize(64, 80).withSteps(6).withSeed(77).withNumOutputs(1);
            long runs = pipeline.models().unet().sessionRunCount();
            byte[] png = pipeline.generate(request, null, null).images().get(0).png();
            unetRunsPerStep[0] = (int) ((pipeline.models().unet().sessionRunCount() - runs) / 6);
            return decodePng(png);
        }
    }

    @Test
    void a_fixed_batch_of_one_model_set_gives_the_images_of_the_dynamic_batch_set() throws Exception {
        int[] dynamicRuns = new int[1];
        int[] fixedRuns = new int[1];
        BufferedImage dynamic = generate(TinyModelBuilder.create(), "dynamic", dynamicRuns);
        BufferedImage fixed = generate(TinyModelBuilder.create().fixedBatchOfOne(true), "fixed", fixedRuns);

        assertEquals(1, dynamicRuns[0]);
        assertEquals(2, fixedRuns[0]);
        assertTrue(maxChannelDifference(dynamic, fixed) <= 1, "difference " + maxChannelDifference(dynamic, fixed));
    }

    @Test
    void a_float16_model_set_generates_close_to_the_float32_set() throws Exception {
        BufferedImage f32 = generate(TinyModelBuilder.create(), "f32", new int[1]);
        BufferedImage f16 = generate(TinyModelBuilder.create().float16(true), "f16", new int[1]);

        assertEquals(80, f16.getHeight());
        assertTrue(distinctColours(f16) > 20);
        assertTrue(maxChannelDifference(f32, f16) <= 4, "difference " + maxChannelDifference(f32, f16));
    }

    @Test
    void a_float16_set_with_float32_inputs_and_outputs_needs_no_conversion_and_draws_the_float16_images()
            throws Exception {
        BufferedImage f16 = generate(TinyModelBuilder.create().float16(true), "f16", new int[1]);
        BufferedImage f32Io = generate(TinyModelBuilder.create().float16(true).float32Io(true), "f32io", new int[1]);

        Path models = dir.resolve("f32io");
        try (var pipeline = PhotoMakerPipeline.load(models, ExecutionConfig.cpu(1))) {
            assertEquals(io.photomaker.worker.onnx.ElementType.FLOAT32,
                    pipeline.models().unet().input("sample").type());
            assertEquals(io.photomaker.common.model.ModelDtype.FLOAT16, pipeline.manifest().model(io.photomaker.common.model.ModelRole.UNET).dtype());
        }
        assertTrue(maxChannelDifference(f16, f32Io) <= 1, "difference " + maxChannelDifference(f16, f32Io));
    }

    @Test
    void an_int64_timestep_unet_generates_the_same_images() throws Exception {
        BufferedImage scalar = generate(TinyModelBuilder.create(), "scalar", new int[1]);
        BufferedImage int64 = generate(TinyModelBuilder.create().int64Timestep(true), "int64", new int[1]);

        assertTrue(maxChannelDifference(scalar, int64) <= 1, "difference " + maxChannelDifference(scalar, int64));
    }

    @Test
    void a_model_directory_with_a_tampered_file_fails_to_load_without_retry() throws Exception {
        ModelManifest manifest = TinyModelBuilder.create().build(dir);
        Files.writeString(manifest.modelPath(dir, ModelRole.UNET), "tampered");

        var e = assertThrows(PipelineException.class, () -> PhotoMakerPipeline.load(dir, ExecutionConfig.cpu(1)));

        assertEquals("model_checksum_mismatch", e.type());
        assertFalse(e.retryable());
    }

    @Test
    void a_model_whose_scheduler_config_asks_for_what_is_not_implemented_fails_to_load_naming_the_key()
            throws Exception {
        Path models = dir.resolve("thresholding");
        TinyModelBuilder.create().build(models);
        Path manifest = models.resolve(ModelManifest.FILE_NAME);
        Files.writeString(manifest, Files.readString(manifest).replace("\"prediction_type\" : \"epsilon\"",
                "\"prediction_type\" : \"epsilon\", \"thresholding\" : true"));

        var e = assertThrows(PipelineException.class, () -> PhotoMakerPipeline.load(models, ExecutionConfig.cpu(1)));

        assertEquals(ErrorType.UNSUPPORTED_MODEL.wireName(), e.type());
        assertTrue(e.getMessage().contains("thresholding"), e.getMessage());
        assertFalse(e.retryable());
    }

    @Test
    void a_tampered_tokenizer_file_fails_to_load() throws Exception {
        Path models = dir.resolve("tokenizer-tampered");
        TinyModelBuilder.create().build(models);
        Files.writeString(models.resolve("tokenizer/merges.txt"), "#version: 0.2\n");

        var e = assertThrows(PipelineException.class, () -> PhotoMakerPipeline.load(models, ExecutionConfig.cpu(1)));

        assertEquals("model_checksum_mismatch", e.type());
        assertTrue(e.getMessage().contains("tokenizer/merges.txt"), e.getMessage());
    }
}
