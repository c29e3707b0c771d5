package io.photomaker.worker.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.photomaker.testkit.models.TinyModelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The GPU settings on a real CUDA device: runs only where ONNX Runtime can enable the CUDA provider (a GPU
 * machine with the onnxruntime_gpu build, {@code mvn -Pgpu}); skipped elsewhere. The TensorRT case also
 * needs the TensorRT libraries and is skipped without them.
 */
class CudaSettingsTest {
    @TempDir
    Path dir;

    private static boolean cudaAvailable() {
        try {
            return SessionFactory.create(ExecutionConfig.defaults()).provider() == ExecutionConfig.Provider.CUDA;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private void opensTheUnet(ExecutionConfig config) throws Exception {
        TinyModelBuilder.create().build(dir);
        SessionFactory factory = SessionFactory.create(config);
        assertEquals(ExecutionConfig.Provider.CUDA, factory.provider());
        try (var open = factory.open(dir.resolve("unet/model.onnx"))) {
            assertTrue(open.session().getInputNames().contains("sample"));
        }
    }

    @Test
    void each_cuda_option_is_accepted_by_the_cuda_provider() throws Exception {
        assumeTrue(cudaAvailable(), "CUDA execution provider not available on this machine");
        opensTheUnet(ExecutionConfig.fromEnv(Map.of("PM_EXECUTION_PROVIDER", "cuda", "PM_CUDA_MEMORY_LIMIT_MB", "2048",
                "PM_CUDA_ARENA_STRATEGY", "same_as_requested", "PM_CUDNN_CONV_ALGO_SEARCH", "heuristic",
                "PM_CUDA_TF32", "false")));
        opensTheUnet(ExecutionConfig.fromEnv(Map.of("PM_EXECUTION_PROVIDER", "cuda",
                "PM_CUDNN_CONV_ALGO_SEARCH", "default", "PM_CUDA_TF32", "true")));
    }

    @Test
    void the_tensorrt_provider_keeps_its_engines_in_the_cache_directory() throws Exception {
        assumeTrue(cudaAvailable(), "CUDA execution provider not available on this machine");
        Path cache = Files.createDirectories(dir.resolve("trt-cache"));
        ExecutionConfig config = ExecutionConfig.fromEnv(Map.of("PM_EXECUTION_PROVIDER", "cuda", "PM_TENSORRT", "true",
                "PM_TENSORRT_CACHE_DIR", cache.toString()));
        SessionFactory factory;
        try {
            factory = SessionFactory.create(config);
        } catch (ModelException e) {
            assumeTrue(false, "TensorRT provider not available: " + e.getMessage());
            return;
        }
        TinyModelBuilder.create().build(dir.resolve("models"));
        try (var open = factory.open(dir.resolve("models/unet/model.onnx"))) {
            assertTrue(open.session().getInputNames().contains("sample"));
        }
        try (var listing = Files.list(cache)) {
            assertTrue(listing.findAny().isPresent(), "no engine or timing cache written to " + cache);
        }
    }

    @Test
    void nvidia_smi_answers_are_read_as_mebibytes() {
        assertEquals(81559L * 1024 * 1024, GpuMemory.parseMib("81559\n").getAsLong());
        assertTrue(GpuMemory.parseMib("NVIDIA-SMI has failed").isEmpty());
        assertEquals(2048L << 20, GpuMemory.available(new ExecutionConfig.Cuda(99, 2048L << 20,
                ExecutionConfig.ArenaStrategy.SAME_AS_REQUESTED, ExecutionConfig.ConvAlgoSearch.HEURISTIC, true))
                .getAsLong(), "a configured limit counts where the device cannot be asked");
    }

    @Test
    void the_gpu_memory_is_read_from_nvidia_smi() {
        assumeTrue(cudaAvailable(), "no CUDA device here");
        assertTrue(GpuMemory.total(0).isPresent(), "nvidia-smi did not report device 0");
    }
}
