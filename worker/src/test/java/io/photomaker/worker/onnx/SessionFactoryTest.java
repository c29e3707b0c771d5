package io.photomaker.worker.onnx;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.photomaker.common.errors.ErrorType;
import io.photomaker.testkit.models.TinyModelBuilder;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SessionFactoryTest {

    @TempDir
    Path dir;

    private static <T> List<String> logLines(Supplier<T> action) {
        Logger logger = (Logger) LoggerFactory.getLogger(SessionFactory.class);
        var appender = new ListAppender<ILoggingEvent>();
        appender.start();
        logger.addAppender(appender);
        try {
            action.get();
        } finally {
            logger.detachAppender(appender);
        }
        return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Test
    void a_cpu_configuration_runs_on_cpu_and_says_so_in_one_line() {
        SessionFactory[] factory = new SessionFactory[1];
        List<String> lines = logLines(() -> factory[0] = SessionFactory.create(ExecutionConfig.cpu(1)));

        assertEquals(ExecutionConfig.Provider.CPU, factory[0].provider());
        assertEquals(1, lines.size(), lines::toString);
        assertTrue(lines.get(0).contains("CPU (configured)"), lines.get(0));
    }

    @Test
    void auto_picks_cuda_when_it_can_be_enabled_and_otherwise_falls_back_to_cpu_in_one_line() {
        SessionFactory[] factory = new SessionFactory[1];
        List<String> lines = logLines(() -> factory[0] = SessionFactory.create(ExecutionConfig.defaults()));

        assertEquals(1, lines.size(), lines::toString);
        if (factory[0].provider() == ExecutionConfig.Provider.CPU) {
            assertTrue(lines.get(0).contains("CPU (CUDA unavailable: "), lines.get(0));
        } else {
            assertEquals(ExecutionConfig.Provider.CUDA, factory[0].provider());
            assertTrue(lines.get(0).contains("CUDA (device 0"), lines.get(0));
        }
    }

    @Test
    void sessions_open_after_a_cuda_fallback() throws Exception {
        TinyModelBuilder.create().build(dir);
        SessionFactory factory = SessionFactory.create(ExecutionConfig.defaults().withIntraOpThreads(1));

        try (var open = factory.open(dir.resolve("fuse/model.onnx"))) {
            assertTrue(open.session().getInputNames().contains("prompt_embeds"));
        }
    }

    @Test
    void an_explicit_cuda_request_fails_clearly_where_cuda_is_unavailable() {
        assumeTrue(SessionFactory.create(ExecutionConfig.defaults()).provider() == ExecutionConfig.Provider.CPU,
                "CUDA is available here");
        var config = ExecutionConfig.cuda(new ExecutionConfig.Cuda(0, 0, ExecutionConfig.ArenaStrategy.NEXT_POWER_OF_TWO,
                ExecutionConfig.ConvAlgoSearch.HEURISTIC, true)).withIntraOpThreads(1);

        var e = assertThrows(ModelException.class, () -> SessionFactory.create(config));

        assertEquals(ErrorType.CUDA_UNAVAILABLE.wireName(), e.type());
        assertTrue(e.getMessage().contains("PM_EXECUTION_PROVIDER=cuda"), e.getMessage());
    }

    @Test
    void a_file_that_is_not_a_model_fails_to_load_naming_the_file() throws Exception {
        Path junk = java.nio.file.Files.writeString(dir.resolve("junk.onnx"), "not a model");
        SessionFactory factory = SessionFactory.create(ExecutionConfig.cpu(1));

        var e = assertThrows(ModelException.class, () -> factory.open(junk));

        assertEquals(ErrorType.MODEL_LOAD_FAILED.wireName(), e.type());
        assertTrue(e.getMessage().contains(junk.toString()), e.getMessage());
    }

    @Test
    void the_cuda_and_tensorrt_options_are_passed_by_onnx_runtime_names() {
        ExecutionConfig config = ExecutionConfig.fromEnv(java.util.Map.of("PM_CUDA_MEMORY_LIMIT_MB", "1024",
                "PM_CUDNN_CONV_ALGO_SEARCH", "heuristic", "PM_CUDA_TF32", "false", "PM_TENSORRT", "true",
                "PM_TENSORRT_CACHE_DIR", "/cache/trt"));

        assertEquals(java.util.Map.of("cudnn_conv_algo_search", "HEURISTIC", "arena_extend_strategy", "kSameAsRequested",
                "use_tf32", "0", "gpu_mem_limit", Long.toString(1024L * 1024 * 1024)), SessionFactory.cudaOptions(config));
        assertEquals(java.util.Map.of("trt_fp16_enable", "1", "trt_engine_cache_enable", "1",
                "trt_engine_cache_path", "/cache/trt", "trt_timing_cache_enable", "1", "trt_timing_cache_path", "/cache/trt"),
                SessionFactory.tensorRtOptions(config));
        assertEquals(java.util.Map.of("trt_fp16_enable", "1"),
                SessionFactory.tensorRtOptions(ExecutionConfig.defaults()), "no cache directory, no engine cache");
    }
}
