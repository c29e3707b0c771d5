package io.photomaker.worker.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.photomaker.testkit.models.TinyModelBuilder;
import io.photomaker.worker.onnx.ExecutionConfig;
import io.photomaker.worker.onnx.SessionFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs only where ONNX Runtime can enable the CUDA provider (a GPU machine with the onnxruntime_gpu
 * build, {@code mvn -Pgpu}); skipped on CPU-only machines. The same request on CUDA and on CPU must give
 * the same picture up to float rounding.
 */
class CudaPipelineTest {
    @Test
    void the_cuda_provider_draws_the_same_images_as_the_cpu() throws Exception {
        ExecutionConfig cuda = ExecutionConfig.cuda(new ExecutionConfig.Cuda(0, 0,
                ExecutionConfig.ArenaStrategy.NEXT_POWER_OF_TWO, ExecutionConfig.ConvAlgoSearch.HEURISTIC, true));
        boolean available;
        try {
            available = SessionFactory.create(cuda).provider() == ExecutionConfig.Provider.CUDA;
        } catch (RuntimeException e) {
            available = false;
        }
        assumeTrue(available, "CUDA execution provider not available on this machine");
        Path models = Files.createTempDirectory("tiny-cuda");
        TinyModelBuilder.create().build(models);
        GenerationRequest req = null;
        byte[] onGpu;
        byte[] onCpu;
        try (PhotoMakerPipeline gpu = PhotoMakerPipeline.load(models, cuda)) {
            List<float[]> ids = gpu.encodeIdImages(List.of(PipelineFixtures.photo(1, 160, 200)));
            req = GenerationRequest.of("a photo of a woman img", ids).withSteps(8).withSize(128, 128).withSeed(9)
                    .withNumOutputs(1);
            onGpu = gpu.generate(req, ProgressListener.NONE, io.photomaker.worker.stop.StopSignal.NONE).images().get(0).png();
        }
        try (PhotoMakerPipeline cpu = PhotoMakerPipeline.load(models, ExecutionConfig.cpu(1))) {
            onCpu = cpu.generate(req, ProgressListener.NONE, io.photomaker.worker.stop.StopSignal.NONE).images().get(0).png();
        }
        var a = PipelineFixtures.decodePng(onGpu);
        var b = PipelineFixtures.decodePng(onCpu);
        assertEquals(a.getWidth(), b.getWidth());
        assertTrue(PipelineFixtures.maxChannelDifference(a, b) <= 2, "CUDA and CPU images differ beyond rounding");
    }
}
