package io.photomaker.worker.onnx;

import java.util.Locale;
import java.util.Map;

/**
 * How ONNX Runtime executes the models: provider (auto = CUDA when it can be enabled, else CPU), CUDA
 * device and memory limit (0 = no limit), cuDNN convolution algorithm search and CPU intra-op threads
 * (0 = ONNX Runtime's default). Read from PM_EXECUTION_PROVIDER, PM_CUDA_DEVICE_ID, PM_CUDA_MEMORY_LIMIT_MB.
 */
public record ExecutionConfig(
        Provider provider,
        int cudaDeviceId,
        long cudaMemoryLimitBytes,
        ConvAlgoSearch cudnnConvAlgoSearch,
        int intraOpThreads) {

    public static final String ENV_PROVIDER = "PM_EXECUTION_PROVIDER";
    public static final String ENV_CUDA_DEVICE_ID = "PM_CUDA_DEVICE_ID";
    public static final String ENV_CUDA_MEMORY_LIMIT_MB = "PM_CUDA_MEMORY_LIMIT_MB";

    /** Which execution provider to use. */
    public enum Provider { AUTO, CUDA, CPU }

    /** cuDNN convolution algorithm search of the CUDA provider (EXHAUSTIVE is ONNX Runtime's default). */
    public enum ConvAlgoSearch { EXHAUSTIVE, HEURISTIC, DEFAULT }

    public ExecutionConfig {
        if (provider == null) {
            throw invalid("provider must be auto, cuda or cpu");
        }
        if (cudnnConvAlgoSearch == null) {
            throw invalid("cudnnConvAlgoSearch must be EXHAUSTIVE, HEURISTIC or DEFAULT");
        }
        if (cudaDeviceId < 0) {
            throw invalid(ENV_CUDA_DEVICE_ID + " must be 0 or more, was " + cudaDeviceId);
        }
        if (cudaMemoryLimitBytes < 0) {
            throw invalid("cudaMemoryLimitBytes must be 0 (no limit) or more, was " + cudaMemoryLimitBytes);
        }
        if (intraOpThreads < 0) {
            throw invalid("intraOpThreads must be 0 (runtime default) or more, was " + intraOpThreads);
        }
    }

    /** The defaults: auto provider, device 0, no memory limit, exhaustive search, default threads. */
    public static ExecutionConfig defaults() {
        return new ExecutionConfig(Provider.AUTO, 0, 0, ConvAlgoSearch.EXHAUSTIVE, 0);
    }

    /** CPU only with a fixed number of intra-op threads (tests, benchmarks, CPU workers). */
    public static ExecutionConfig cpu(int intraOpThreads) {
        return new ExecutionConfig(Provider.CPU, 0, 0, ConvAlgoSearch.EXHAUSTIVE, intraOpThreads);
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
        ExecutionConfig d = defaults();
        String providerText = env.getOrDefault(ENV_PROVIDER, "").trim();
        Provider provider = d.provider();
        if (!providerText.isEmpty()) {
            try {
                provider = Provider.valueOf(providerText.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw invalid(ENV_PROVIDER + " must be auto, cuda or cpu, was \"" + providerText + "\"");
            }
        }
        long deviceId = number(env, ENV_CUDA_DEVICE_ID, d.cudaDeviceId());
        if (deviceId < 0 || deviceId > Integer.MAX_VALUE) {
            throw invalid(ENV_CUDA_DEVICE_ID + " must be a device number 0 or more, was " + deviceId);
        }
        long limitMb = number(env, ENV_CUDA_MEMORY_LIMIT_MB, 0);
        if (limitMb < 0 || limitMb > Long.MAX_VALUE / (1024 * 1024)) {
            throw invalid(ENV_CUDA_MEMORY_LIMIT_MB + " must be 0 (no limit) or a positive number of MB, was " + limitMb);
        }
        return new ExecutionConfig(provider, (int) deviceId, limitMb * 1024 * 1024, d.cudnnConvAlgoSearch(),
                d.intraOpThreads());
    }

    /** This configuration with another intra-op thread count. */
    public ExecutionConfig withIntraOpThreads(int threads) {
        return new ExecutionConfig(provider, cudaDeviceId, cudaMemoryLimitBytes, cudnnConvAlgoSearch, threads);
    }

    private static long number(Map<String, String> env, String name, long fallback) {
        String text = env.getOrDefault(name, "").trim();
        if (text.isEmpty()) {
            return fallback;
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw invalid(name + " must be a whole number, was \"" + text + "\"");
        }
    }

    private static ModelException invalid(String message) {
        return new ModelException(ModelException.INVALID_EXECUTION_CONFIG, message);
    }
}
