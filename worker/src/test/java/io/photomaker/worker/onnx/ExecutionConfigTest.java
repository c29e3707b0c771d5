package io.photomaker.worker.onnx;

import io.photomaker.common.errors.ErrorType;
import java.util.Map;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExecutionConfigTest {

    @Test
    void an_empty_environment_gives_auto_on_device_zero_without_a_memory_limit() {
        ExecutionConfig config = ExecutionConfig.fromEnv(Map.of());

        assertEquals(ExecutionConfig.Provider.AUTO, config.provider());
        assertEquals(0, config.cuda().deviceId());
        assertEquals(0, config.cuda().memoryLimitBytes());
        assertEquals(ExecutionConfig.defaults(), config);
    }

    @Test
    void the_variables_are_read_case_insensitively_and_megabytes_become_bytes() {
        ExecutionConfig config = ExecutionConfig.fromEnv(Map.of(
                "PM_EXECUTION_PROVIDER", " CUDA ", "PM_CUDA_DEVICE_ID", "3", "PM_CUDA_MEMORY_LIMIT_MB", "12288"));

        assertEquals(ExecutionConfig.Provider.CUDA, config.provider());
        assertEquals(3, config.cuda().deviceId());
        assertEquals(12288L * 1024 * 1024, config.cuda().memoryLimitBytes());
        assertEquals(ExecutionConfig.Provider.CPU,
                ExecutionConfig.fromEnv(Map.of("PM_EXECUTION_PROVIDER", "cpu")).provider());
    }

    @Test
    void an_unknown_provider_is_rejected_naming_the_variable() {
        var e = assertThrows(ModelException.class,
                () -> ExecutionConfig.fromEnv(Map.of("PM_EXECUTION_PROVIDER", "tensorrt")));

        assertEquals(ErrorType.INVALID_EXECUTION_CONFIG.wireName(), e.type());
        assertTrue(e.getMessage().contains("PM_EXECUTION_PROVIDER"), e.getMessage());
        assertTrue(e.getMessage().contains("tensorrt"), e.getMessage());
    }

    @Test
    void negative_or_non_numeric_device_settings_are_rejected_naming_the_variable() {
        var notNumber = assertThrows(ModelException.class,
                () -> ExecutionConfig.fromEnv(Map.of("PM_CUDA_DEVICE_ID", "gpu0")));
        var negativeLimit = assertThrows(ModelException.class,
                () -> ExecutionConfig.fromEnv(Map.of("PM_CUDA_MEMORY_LIMIT_MB", "-5")));
        var negativeDevice = assertThrows(ModelException.class,
                () -> ExecutionConfig.fromEnv(Map.of("PM_CUDA_DEVICE_ID", "-1")));

        assertTrue(notNumber.getMessage().contains("PM_CUDA_DEVICE_ID"), notNumber.getMessage());
        assertTrue(negativeLimit.getMessage().contains("PM_CUDA_MEMORY_LIMIT_MB"), negativeLimit.getMessage());
        assertTrue(negativeDevice.getMessage().contains("PM_CUDA_DEVICE_ID"), negativeDevice.getMessage());
    }

    @Test
    void the_record_rejects_negative_thread_counts() {
        var e = assertThrows(ModelException.class, () -> ExecutionConfig.cpu(-1));

        assertTrue(e.getMessage().contains("intraOpThreads"), e.getMessage());
        assertEquals(2, ExecutionConfig.cpu(1).withIntraOpThreads(2).intraOpThreads());
    }

    @Test
    void the_gpu_settings_are_read_with_their_defaults() {
        ExecutionConfig defaults = ExecutionConfig.fromEnv(Map.of());
        assertEquals(ExecutionConfig.ArenaStrategy.NEXT_POWER_OF_TWO, defaults.cuda().arenaStrategy());
        assertEquals(ExecutionConfig.ConvAlgoSearch.EXHAUSTIVE, defaults.cuda().convAlgoSearch());
        assertTrue(defaults.cuda().tf32());
        assertEquals(false, defaults.tensorRt().enabled());
        assertEquals(0, defaults.unetBatchLimit());

        ExecutionConfig set = ExecutionConfig.fromEnv(Map.of("PM_CUDA_MEMORY_LIMIT_MB", "20000",
                "PM_CUDNN_CONV_ALGO_SEARCH", "heuristic", "PM_CUDA_TF32", "false", "PM_TENSORRT", "true",
                "PM_TENSORRT_CACHE_DIR", "/var/cache/trt", "PM_TENSORRT_FP16", "false", "PM_UNET_BATCH", "2"));
        assertEquals(ExecutionConfig.ArenaStrategy.SAME_AS_REQUESTED, set.cuda().arenaStrategy(),
                "a memory limit defaults to an arena that grows by what is asked");
        assertEquals(ExecutionConfig.ConvAlgoSearch.HEURISTIC, set.cuda().convAlgoSearch());
        assertEquals(false, set.cuda().tf32());
        assertTrue(set.tensorRt().enabled());
        assertEquals(java.nio.file.Path.of("/var/cache/trt"), set.tensorRt().engineCacheDir().orElseThrow());
        assertEquals(false, set.tensorRt().fp16());
        assertEquals(2, set.unetBatchLimit());
        assertEquals(ExecutionConfig.ArenaStrategy.NEXT_POWER_OF_TWO, ExecutionConfig.fromEnv(Map.of(
                "PM_CUDA_MEMORY_LIMIT_MB", "20000", "PM_CUDA_ARENA_STRATEGY", "next_power_of_two")).cuda().arenaStrategy());
    }

    @Test
    void bad_gpu_settings_are_rejected_naming_the_variable() {
        for (Map<String, String> bad : java.util.List.of(Map.of("PM_CUDA_ARENA_STRATEGY", "double"),
                Map.of("PM_CUDNN_CONV_ALGO_SEARCH", "fast"), Map.of("PM_CUDA_TF32", "maybe"),
                Map.of("PM_TENSORRT", "2"), Map.of("PM_UNET_BATCH", "0"), Map.of("PM_UNET_BATCH", "9"),
                Map.of("PM_UNET_BATCH", "many"))) {
            var e = assertThrows(ModelException.class, () -> ExecutionConfig.fromEnv(bad));
            String variable = bad.keySet().iterator().next();
            assertTrue(e.getMessage().contains(variable), e.getMessage());
            assertEquals(ErrorType.INVALID_EXECUTION_CONFIG.wireName(), e.type());
        }
    }
}
