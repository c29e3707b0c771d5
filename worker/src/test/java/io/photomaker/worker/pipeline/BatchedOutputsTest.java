package io.photomaker.worker.pipeline;

import io.photomaker.common.job.SchedulerName;
import io.photomaker.common.model.ModelManifest;
import io.photomaker.common.model.ModelRole;
import io.photomaker.testkit.models.TinyModelBuilder;
import io.photomaker.worker.onnx.ExecutionConfig;
import io.photomaker.worker.onnx.Port;
import io.photomaker.worker.pipeline.schedule.Schedulers;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static io.photomaker.worker.pipeline.PipelineFixtures.photo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A request's outputs through the UNet as one batch (classifier-free guidance doubling included) give
 * exactly the values of generating them one by one with the same noise, for every scheduler.
 */
class BatchedOutputsTest {
    private static final int STEPS = 6;

    @TempDir
    Path dir;

    private record Run(GenerationResult result, long unetRuns) {
    }

    private static Run generate(PhotoMakerPipeline pipeline, GenerationRequest request) {
        long before = pipeline.models().unet().sessionRunCount();
        GenerationResult result = pipeline.generate(request, null, null);
        return new Run(result, pipeline.models().unet().sessionRunCount() - before);
    }

    private static GenerationRequest request(List<float[]> identity, String scheduler, int outputs) {
        return GenerationRequest.of("a portrait of a man img in the rain", identity).withSize(64, 72)
                .withSteps(STEPS).withSeed(31).withScheduler(scheduler).withNumOutputs(outputs);
    }

    @Test
    void the_tiny_unet_declares_a_dynamic_batch_axis() throws Exception {
        ModelManifest manifest = TinyModelBuilder.create().build(dir);
        try (var pipeline = PhotoMakerPipeline.load(dir, ExecutionConfig.cpu(1))) {
            Port sample = pipeline.models().unet().input("sample");
            assertEquals(-1, sample.dim(0), "batch axis of " + manifest.modelPath(dir, ModelRole.UNET));
            assertEquals(Integer.MAX_VALUE, pipeline.models().unet().maxOutputsPerCall());
        }
    }

    @Test
    void batched_outputs_give_the_values_of_one_by_one_generation_for_every_scheduler() throws Exception {
        TinyModelBuilder.create().build(dir);
        try (var batched = PhotoMakerPipeline.load(dir, ExecutionConfig.cpu(1).withUnetBatchLimit(4));
             var single = PhotoMakerPipeline.load(dir, ExecutionConfig.cpu(1).withUnetBatchLimit(1))) {
            List<float[]> identity = batched.encodeIdImages(List.of(photo(5, 200, 240)));
            for (String scheduler : SchedulerName.wireNames()) {
                Run together = generate(batched, request(identity, scheduler, 3));
                Run apart = generate(single, request(identity, scheduler, 3));

                assertEquals(STEPS, together.unetRuns(), scheduler + ": one UNet run per step for all outputs");
                assertEquals(3 * STEPS, apart.unetRuns(), scheduler + ": one run per step per output");
                for (int o = 0; o < 3; o++) {
                    assertArrayEquals(apart.result().images().get(o).values(), together.result().images().get(o).values(),
                            scheduler + " output " + o);
                    assertEquals(31, together.result().images().get(o).seed(),
                            "every output is a slice of the one draw seeded with the request's seed");
                }
            }
        }
    }

    @Test
    void a_batch_limit_splits_the_outputs_into_groups() throws Exception {
        TinyModelBuilder.create().build(dir);
        try (var limited = PhotoMakerPipeline.load(dir, ExecutionConfig.cpu(1).withUnetBatchLimit(2))) {
            List<float[]> identity = limited.encodeIdImages(List.of(photo(6, 180, 180)));
            Run run = generate(limited, request(identity, SchedulerName.EULER.wireName(), 3));

            assertEquals(2 * STEPS, run.unetRuns(), "groups of 2 and 1");
            assertEquals(3, run.result().images().size());
        }
    }

    @Test
    void a_fixed_batch_of_one_export_runs_each_output_and_branch_apart_with_the_same_images() throws Exception {
        Path dynamicDir = dir.resolve("dynamic");
        Path fixedDir = dir.resolve("fixed");
        TinyModelBuilder.create().build(dynamicDir);
        TinyModelBuilder.create().fixedBatchOfOne(true).build(fixedDir);
        try (var dynamic = PhotoMakerPipeline.load(dynamicDir, ExecutionConfig.cpu(1));
             var fixed = PhotoMakerPipeline.load(fixedDir, ExecutionConfig.cpu(1))) {
            List<float[]> identity = dynamic.encodeIdImages(List.of(photo(7, 160, 200)));
            Run one = generate(fixed, request(identity, SchedulerName.EULER.wireName(), 2));
            Run batch = generate(dynamic, request(identity, SchedulerName.EULER.wireName(), 2));

            assertEquals(2 * 2 * STEPS, one.unetRuns(), "two branches for each of two outputs");
            assertEquals(STEPS, batch.unetRuns());
            for (int o = 0; o < 2; o++) {
                int diff = PipelineFixtures.maxChannelDifference(one.result().images().get(o).image(),
                        batch.result().images().get(o).image());
                assertTrue(diff <= 1, "output " + o + " differs by " + diff);
            }
        }
    }
}
