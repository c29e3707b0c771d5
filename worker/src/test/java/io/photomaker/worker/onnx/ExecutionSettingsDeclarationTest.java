package io.photomaker.worker.onnx;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.common.config.Setting;
import io.photomaker.worker.settings.WorkerSettings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ExecutionConfig parses its variables itself (its failures are model errors of type invalid_execution_config);
 * what it accepts must be what WorkerSettings declares, which the reference and the deployment checks show.
 */
class ExecutionSettingsDeclarationTest {

    private static final List<Setting> CHOICES = List.of(WorkerSettings.EXECUTION_PROVIDER,
            WorkerSettings.CUDA_ARENA_STRATEGY, WorkerSettings.CUDNN_CONV_ALGO_SEARCH);
    private static final List<Setting> BOOLEANS = List.of(WorkerSettings.CUDA_TF32, WorkerSettings.TENSORRT,
            WorkerSettings.TENSORRT_FP16);

    @Test
    void every_variable_the_execution_config_reads_is_a_declared_worker_setting() {
        for (String name : ExecutionConfig.VARIABLES) {
            assertTrue(WorkerSettings.REGISTRY.find(name).isPresent(), name);
        }
    }

    @Test
    void every_declared_choice_is_accepted_and_an_undeclared_one_refused() {
        for (Setting s : CHOICES) {
            for (String choice : s.choices()) {
                assertDoesNotThrow(() -> ExecutionConfig.fromEnv(Map.of(s.name(), choice)), s.name() + "=" + choice);
            }
            ModelException e = assertThrows(ModelException.class,
                    () -> ExecutionConfig.fromEnv(Map.of(s.name(), "undeclared")));
            assertTrue(e.getMessage().contains(s.name()), e.getMessage());
        }
    }

    @Test
    void booleans_and_device_numbers_follow_their_declarations() {
        for (Setting s : BOOLEANS) {
            assertDoesNotThrow(() -> ExecutionConfig.fromEnv(Map.of(s.name(), "off")));
            assertThrows(ModelException.class, () -> ExecutionConfig.fromEnv(Map.of(s.name(), "maybe")));
        }
        for (Setting s : List.of(WorkerSettings.CUDA_DEVICE_ID, WorkerSettings.CUDA_MEMORY_LIMIT_MB)) {
            assertEquals(0, s.min());
            assertDoesNotThrow(() -> ExecutionConfig.fromEnv(Map.of(s.name(), "0")));
            assertThrows(ModelException.class, () -> ExecutionConfig.fromEnv(Map.of(s.name(), "-1")));
        }
    }
}
