package io.photomaker.worker.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import ai.onnxruntime.providers.OrtTensorRTProviderOptions;
import io.photomaker.common.errors.ErrorType;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates ONNX Runtime sessions with the configured execution provider. The provider is decided once, when
 * the factory is created: CUDA if asked for (or auto) and the CUDA provider can be enabled, otherwise CPU
 * (auto falls back; an explicit cuda request fails). With TensorRT enabled, the TensorRT provider is
 * registered in front of CUDA (nodes it cannot take run on CUDA). Exactly one log line says which
 * provider runs.
 */
public final class SessionFactory {

    private static final Logger LOG = LoggerFactory.getLogger(SessionFactory.class);

    private final OrtEnvironment environment;
    private final ExecutionConfig config;
    private final ExecutionConfig.Provider provider;

    private SessionFactory(OrtEnvironment environment, ExecutionConfig config, ExecutionConfig.Provider provider) {
        this.environment = environment;
        this.config = config;
        this.provider = provider;
    }

    /**
     * Decides the provider (trying CUDA where configured) and logs it.
     *
     * @throws ModelException cuda_unavailable when CUDA was required but cannot be enabled
     */
    public static SessionFactory create(ExecutionConfig config) {
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        if (config.provider() == ExecutionConfig.Provider.CPU) {
            LOG.info("ONNX Runtime execution provider: CPU (configured), intra-op threads {}", threadsText(config));
            return new SessionFactory(environment, config, ExecutionConfig.Provider.CPU);
        }
        String failure = cudaFailure(config);
        if (failure == null) {
            ExecutionConfig.Cuda cuda = config.cuda();
            LOG.info("ONNX Runtime execution provider: CUDA (device {}, memory limit {}, arena {}, cudnn conv algo"
                    + " search {}, tf32 {}{})", cuda.deviceId(), limitText(config), cuda.arenaStrategy(),
                    cuda.convAlgoSearch(), cuda.tf32() ? "on" : "off", tensorRtText(config));
            return new SessionFactory(environment, config, ExecutionConfig.Provider.CUDA);
        }
        if (config.provider() == ExecutionConfig.Provider.CUDA) {
            throw new ModelException(ErrorType.CUDA_UNAVAILABLE,
                    "CUDA execution provider requested (PM_EXECUTION_PROVIDER=cuda) but it cannot be enabled: " + failure);
        }
        LOG.info("ONNX Runtime execution provider: CPU (CUDA unavailable: {}), intra-op threads {}",
                failure, threadsText(config));
        return new SessionFactory(environment, config, ExecutionConfig.Provider.CPU);
    }

    /** The provider sessions of this factory run on: CUDA or CPU (never AUTO). */
    public ExecutionConfig.Provider provider() {
        return provider;
    }

    public ExecutionConfig config() {
        return config;
    }

    public OrtEnvironment environment() {
        return environment;
    }

    /** Fresh session options for the chosen provider; the caller closes them after the session. */
    public OrtSession.SessionOptions newOptions() throws OrtException {
        OrtSession.SessionOptions options = baseOptions(config);
        if (provider == ExecutionConfig.Provider.CUDA) {
            try {
                addCuda(options, config);
            } catch (OrtException | RuntimeException e) {
                options.close();
                throw e;
            }
        }
        return options;
    }

    /** A session and the options it was created with; closing it closes both. */
    public record OpenSession(OrtSession session, OrtSession.SessionOptions options) implements AutoCloseable {
        @Override
        public void close() {
            try {
                session.close();
            } catch (OrtException e) {
                LOG.warn("closing an ONNX Runtime session failed: {}", e.getMessage());
            } finally {
                options.close();
            }
        }
    }

    /**
     * Opens {@code model} with the chosen provider.
     *
     * @throws ModelException model_load_failed naming the file
     */
    public OpenSession open(Path model) {
        OrtSession.SessionOptions options = null;
        try {
            options = newOptions();
            return new OpenSession(environment.createSession(model.toString(), options), options);
        } catch (OrtException | RuntimeException e) {
            if (options != null) {
                options.close();
            }
            throw new ModelException(ErrorType.MODEL_LOAD_FAILED,
                    "cannot load model " + model + " on " + provider + ": " + e.getMessage(), false, e);
        }
    }

    /** Tries to enable CUDA on throw-away options; returns why it failed, or null when it works. */
    private static String cudaFailure(ExecutionConfig config) {
        try (OrtSession.SessionOptions probe = baseOptions(config)) {
            addCuda(probe, config);
            return null;
        } catch (OrtException | RuntimeException | LinkageError e) {
            String message = String.valueOf(e.getMessage());
            return message.lines().findFirst().orElse(e.getClass().getSimpleName());
        }
    }

    private static OrtSession.SessionOptions baseOptions(ExecutionConfig config) throws OrtException {
        var options = new OrtSession.SessionOptions();
        try {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (config.intraOpThreads() > 0) {
                options.setIntraOpNumThreads(config.intraOpThreads());
            }
            return options;
        } catch (OrtException | RuntimeException e) {
            options.close();
            throw e;
        }
    }

    private static void addCuda(OrtSession.SessionOptions options, ExecutionConfig config) throws OrtException {
        if (config.tensorRt().enabled()) {
            try (var trt = new OrtTensorRTProviderOptions(config.cuda().deviceId())) {
                for (var option : tensorRtOptions(config).entrySet()) {
                    trt.add(option.getKey(), option.getValue());
                }
                options.addTensorrt(trt);
            }
        }
        try (var cuda = new OrtCUDAProviderOptions(config.cuda().deviceId())) {
            for (var option : cudaOptions(config).entrySet()) {
                cuda.add(option.getKey(), option.getValue());
            }
            options.addCUDA(cuda);
        }
    }

    /** The CUDA provider's options for {@code config}, as ONNX Runtime names them. */
    static java.util.Map<String, String> cudaOptions(ExecutionConfig config) {
        ExecutionConfig.Cuda cuda = config.cuda();
        var m = new java.util.LinkedHashMap<String, String>();
        m.put("cudnn_conv_algo_search", cuda.convAlgoSearch().name());
        m.put("arena_extend_strategy", cuda.arenaStrategy().ortName());
        m.put("use_tf32", cuda.tf32() ? "1" : "0");
        if (cuda.memoryLimitBytes() > 0) {
            m.put("gpu_mem_limit", Long.toString(cuda.memoryLimitBytes()));
        }
        return m;
    }

    /** The TensorRT provider's options for {@code config}, as ONNX Runtime names them. */
    static java.util.Map<String, String> tensorRtOptions(ExecutionConfig config) {
        ExecutionConfig.TensorRt trt = config.tensorRt();
        var m = new java.util.LinkedHashMap<String, String>();
        m.put("trt_fp16_enable", trt.fp16() ? "1" : "0");
        trt.engineCacheDir().ifPresent(dir -> {
            m.put("trt_engine_cache_enable", "1");
            m.put("trt_engine_cache_path", dir.toString());
            m.put("trt_timing_cache_enable", "1");
            m.put("trt_timing_cache_path", dir.toString());
        });
        return m;
    }

    private static String tensorRtText(ExecutionConfig config) {
        ExecutionConfig.TensorRt trt = config.tensorRt();
        return trt.enabled() ? ", TensorRT first (fp16 " + (trt.fp16() ? "on" : "off") + ", engine cache "
                + trt.engineCacheDir().map(Path::toString).orElse("none") + ")" : "";
    }

    private static String threadsText(ExecutionConfig config) {
        return config.intraOpThreads() > 0 ? Integer.toString(config.intraOpThreads()) : "default";
    }

    private static String limitText(ExecutionConfig config) {
        long limit = config.cuda().memoryLimitBytes();
        return limit > 0 ? limit / (1024 * 1024) + " MB" : "none";
    }
}
