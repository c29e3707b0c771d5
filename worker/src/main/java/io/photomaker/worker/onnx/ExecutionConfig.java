package io.photomaker.worker.onnx;

import io.photomaker.common.errors.ErrorType;
import io.photomaker.worker.settings.WorkerSettings;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How ONNX Runtime executes the models: provider (auto = CUDA when it can be enabled, else CPU), the CUDA
 * provider's options, an optional TensorRT provider in front of CUDA, CPU intra-op threads (0 = ONNX
 * Runtime's default) and how many outputs share one UNet call (0 = chosen from the GPU memory). Read from
 * the {@code PM_*} variables named by the constants below; every check lives here.
 */
public record ExecutionConfig(Provider provider, Cuda cuda, TensorRt tensorRt, int intraOpThreads,
                              int unetBatchLimit) {

    public static final String ENV_PROVIDER = WorkerSettings.EXECUTION_PROVIDER.name();
    public static final String ENV_CUDA_DEVICE_ID = WorkerSettings.CUDA_DEVICE_ID.name();
    public static final String ENV_CUDA_MEMORY_LIMIT_MB = WorkerSettings.CUDA_MEMORY_LIMIT_MB.name();
    public static final String ENV_CUDA_ARENA_STRATEGY = WorkerSettings.CUDA_ARENA_STRATEGY.name();
    public static final String ENV_CUDNN_CONV_ALGO_SEARCH = WorkerSettings.CUDNN_CONV_ALGO_SEARCH.name();
    public static final String ENV_CUDA_TF32 = WorkerSettings.CUDA_TF32.name();
    public static final String ENV_TENSORRT = WorkerSettings.TENSORRT.name();
    public static final String ENV_TENSORRT_CACHE_DIR = WorkerSettings.TENSORRT_CACHE_DIR.name();
    public static final String ENV_TENSORRT_FP16 = WorkerSettings.TENSORRT_FP16.name();
    public static final String ENV_UNET_BATCH = WorkerSettings.UNET_BATCH.name();
    /** Every variable this record reads. */
    public static final java.util.List<String> VARIABLES = java.util.List.of(ENV_PROVIDER, ENV_CUDA_DEVICE_ID,
            ENV_CUDA_MEMORY_LIMIT_MB, ENV_CUDA_ARENA_STRATEGY, ENV_CUDNN_CONV_ALGO_SEARCH, ENV_CUDA_TF32, ENV_TENSORRT,
            ENV_TENSORRT_CACHE_DIR, ENV_TENSORRT_FP16, ENV_UNET_BATCH);
    /** Most outputs one UNet call may carry (the API's largest num_outputs). */
    public static final int MAX_UNET_BATCH = 8;

    /** Which execution provider to use. */
    public enum Provider { AUTO, CUDA, CPU }

    /** cuDNN convolution algorithm search of the CUDA provider (EXHAUSTIVE is ONNX Runtime's default). */
    public enum ConvAlgoSearch { EXHAUSTIVE, HEURISTIC, DEFAULT }

    /** How the CUDA memory arena grows: doubling (fewer, larger blocks) or exactly what is asked. */
    public enum ArenaStrategy {
        NEXT_POWER_OF_TWO("kNextPowerOfTwo"), SAME_AS_REQUESTED("kSameAsRequested");

        private final String ortName;

        ArenaStrategy(String ortName) {
            this.ortName = ortName;
        }

        /** The value of ONNX Runtime's {@code arena_extend_strategy} option. */
        public String ortName() {
            return ortName;
        }
    }

    /**
     * The CUDA provider's options.
     *
     * @param memoryLimitBytes arena limit, 0 = none
     * @param tf32 allow TF32 tensor-core math for float32 convolutions and matrix products
     */
    public record Cuda(int deviceId, long memoryLimitBytes, ArenaStrategy arenaStrategy, ConvAlgoSearch convAlgoSearch,
                       boolean tf32) {
        public Cuda {
            if (deviceId < 0) {
                throw invalid(ENV_CUDA_DEVICE_ID + " must be 0 or more, was " + deviceId);
            }
            if (memoryLimitBytes < 0) {
                throw invalid(ENV_CUDA_MEMORY_LIMIT_MB + " must be 0 (no limit) or more, was " + memoryLimitBytes);
            }
            if (arenaStrategy == null || convAlgoSearch == null) {
                throw invalid("the CUDA arena strategy and conv algorithm search must be set");
            }
        }

        /** Device 0, no limit, doubling arena, exhaustive search, TF32 allowed (ONNX Runtime's defaults). */
        public static Cuda defaults() {
            return new Cuda(0, 0, ArenaStrategy.NEXT_POWER_OF_TWO, ConvAlgoSearch.EXHAUSTIVE, true);
        }
    }

    /**
     * The TensorRT provider, tried before CUDA when enabled; nodes it cannot run fall to CUDA.
     *
     * @param engineCacheDir where built engines are kept between starts (empty = rebuilt at every start)
     * @param fp16 let TensorRT run float32 layers in float16
     */
    public record TensorRt(boolean enabled, Optional<Path> engineCacheDir, boolean fp16) {
        public TensorRt {
            engineCacheDir = engineCacheDir == null ? Optional.empty() : engineCacheDir;
        }

        public static TensorRt off() {
            return new TensorRt(false, Optional.empty(), true);
        }
    }

    public ExecutionConfig {
        if (provider == null || cuda == null || tensorRt == null) {
            throw invalid("provider, CUDA and TensorRT options must be set");
        }
        if (intraOpThreads < 0) {
            throw invalid("intraOpThreads must be 0 (runtime default) or more, was " + intraOpThreads);
        }
        if (unetBatchLimit < 0 || unetBatchLimit > MAX_UNET_BATCH) {
            throw invalid(ENV_UNET_BATCH + " must be auto or 1.." + MAX_UNET_BATCH + ", was " + unetBatchLimit);
        }
    }

    /** The defaults: auto provider, CUDA defaults, no TensorRT, default threads, UNet batch from GPU memory. */
    public static ExecutionConfig defaults() {
        return new ExecutionConfig(Provider.AUTO, Cuda.defaults(), TensorRt.off(), 0, 0);
    }

    /** CPU only with a fixed number of intra-op threads (tests, benchmarks, CPU workers). */
    public static ExecutionConfig cpu(int intraOpThreads) {
        return new ExecutionConfig(Provider.CPU, Cuda.defaults(), TensorRt.off(), intraOpThreads, 0);
    }

    /** CUDA required, with the given options and everything else at its default. */
    public static ExecutionConfig cuda(Cuda cuda) {
        return new ExecutionConfig(Provider.CUDA, cuda, TensorRt.off(), 0, 0);
    }

    /** Reads the process environment. */
    public static ExecutionConfig fromEnv() {
        return fromEnv(System.getenv());
    }

    /**
     * Reads the given environment; unset or blank variables take the defaults.
     *
     * @throws ModelException type invalid_execution_config naming the variable
     */
    public static ExecutionConfig fromEnv(Map<String, String> env) {
        Provider provider = choice(env, ENV_PROVIDER, Provider.class, Provider.AUTO, "auto, cuda or cpu");
        long deviceId = number(env, ENV_CUDA_DEVICE_ID, 0);
        if (deviceId < 0 || deviceId > Integer.MAX_VALUE) {
            throw invalid(ENV_CUDA_DEVICE_ID + " must be a device number 0 or more, was " + deviceId);
        }
        long limitMb = number(env, ENV_CUDA_MEMORY_LIMIT_MB, 0);
        if (limitMb < 0 || limitMb > Long.MAX_VALUE / (1024 * 1024)) {
            throw invalid(ENV_CUDA_MEMORY_LIMIT_MB + " must be 0 (no limit) or a positive number of MB, was " + limitMb);
        }
        // With a hard limit, doubling would waste up to half of it on the last block.
        ArenaStrategy arena = choice(env, ENV_CUDA_ARENA_STRATEGY, ArenaStrategy.class,
                limitMb > 0 ? ArenaStrategy.SAME_AS_REQUESTED : ArenaStrategy.NEXT_POWER_OF_TWO,
                "next_power_of_two or same_as_requested");
        ConvAlgoSearch search = choice(env, ENV_CUDNN_CONV_ALGO_SEARCH, ConvAlgoSearch.class,
                ConvAlgoSearch.EXHAUSTIVE, "exhaustive, heuristic or default");
        Cuda cuda = new Cuda((int) deviceId, limitMb * 1024 * 1024, arena, search, bool(env, ENV_CUDA_TF32, true));
        TensorRt trt = new TensorRt(bool(env, ENV_TENSORRT, false), text(env, ENV_TENSORRT_CACHE_DIR).map(Path::of),
                bool(env, ENV_TENSORRT_FP16, true));
        String batch = text(env, ENV_UNET_BATCH).orElse("auto");
        int batchLimit = batch.equalsIgnoreCase("auto") ? 0 : (int) Math.max(-1, Math.min(Integer.MAX_VALUE,
                number(env, ENV_UNET_BATCH, 0)));
        if (!batch.equalsIgnoreCase("auto") && batchLimit < 1) {
            throw invalid(ENV_UNET_BATCH + " must be auto or 1.." + MAX_UNET_BATCH + ", was " + batch);
        }
        return new ExecutionConfig(provider, cuda, trt, 0, batchLimit);
    }

    /** This configuration with another intra-op thread count. */
    public ExecutionConfig withIntraOpThreads(int threads) {
        return new ExecutionConfig(provider, cuda, tensorRt, threads, unetBatchLimit);
    }

    /** This configuration with a fixed UNet batch limit (0 = from the GPU memory). */
    public ExecutionConfig withUnetBatchLimit(int limit) {
        return new ExecutionConfig(provider, cuda, tensorRt, intraOpThreads, limit);
    }

    /** This configuration with other TensorRT settings. */
    public ExecutionConfig withTensorRt(TensorRt settings) {
        return new ExecutionConfig(provider, cuda, settings, intraOpThreads, unetBatchLimit);
    }

    private static <E extends Enum<E>> E choice(Map<String, String> env, String name, Class<E> type, E fallback,
                                                String allowed) {
        Optional<String> value = text(env, name);
        if (value.isEmpty()) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, value.get().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw invalid(name + " must be " + allowed + ", was \"" + value.get() + "\"");
        }
    }

    private static boolean bool(Map<String, String> env, String name, boolean fallback) {
        Optional<String> value = text(env, name);
        if (value.isEmpty()) {
            return fallback;
        }
        return switch (value.get().toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw invalid(name + " must be true or false, was \"" + value.get() + "\"");
        };
    }

    private static Optional<String> text(Map<String, String> env, String name) {
        String text = env.getOrDefault(name, "").trim();
        return text.isEmpty() ? Optional.empty() : Optional.of(text);
    }

    private static long number(Map<String, String> env, String name, long fallback) {
        Optional<String> text = text(env, name);
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            return Long.parseLong(text.get());
        } catch (NumberFormatException e) {
            throw invalid(name + " must be a whole number, was \"" + text.get() + "\"");
        }
    }

    private static ModelException invalid(String message) {
        return new ModelException(ErrorType.INVALID_EXECUTION_CONFIG, message);
    }
}
