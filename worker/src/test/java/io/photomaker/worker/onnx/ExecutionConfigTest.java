package io.photomaker.worker.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

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

        assertEquals(ModelException.INVALID_EXECUTION_CONFIG, e.type());
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
}
