package io.photomaker.worker.settings;

import io.photomaker.common.config.Setting;
import io.photomaker.common.config.SettingRegistry;
import java.util.List;

/**
 * The PM_* settings the worker reads, each declared once with its default, bounds and meaning; the worker's
 * config records read them through {@code Settings}. A leaf package: it depends on nothing else in the worker.
 */
public final class WorkerSettings {
    /** Every setting below, in order. */
    public static final SettingRegistry REGISTRY = new SettingRegistry("worker");

    public static final Setting MODELS_DIR = REGISTRY.path("PM_MODELS_DIR", "required by the worker image",
            "Exported model directory (manifest.json and the ONNX files).");
    public static final Setting MODEL = REGISTRY.string("PM_MODEL", null, "not checked",
            "The model this fleet must serve; the worker refuses to start when the directory holds another.");
    public static final Setting WORKER_ID = REGISTRY.string("PM_WORKER_ID", null, "worker- and a random id",
            "Identity in events, logs and metrics.");
    public static final Setting DRAIN_SECONDS = REGISTRY.seconds("PM_DRAIN_SECONDS", 120, 0, 3600,
            "How long SIGTERM waits for the job in hand before handing it back.");
    public static final Setting MAX_ATTEMPTS = REGISTRY.integer("PM_MAX_ATTEMPTS", 3, 1, 20,
            "Attempts of a job or identity before it goes to the dead-letter topic.");
    public static final Setting RETRY_BASE_MS = REGISTRY.milliseconds("PM_RETRY_BASE_MS", 1000, 0, 600_000,
            "First retry delay; doubles per attempt with jitter.");
    public static final Setting RETRY_CAP_MS = REGISTRY.milliseconds("PM_RETRY_CAP_MS", 30_000, 0, 3_600_000,
            "Largest retry delay.");
    public static final Setting METRICS_HOST = REGISTRY.string("PM_METRICS_HOST", "0.0.0.0", "0.0.0.0",
            "Address of /metrics, /healthz and /readyz.");
    public static final Setting METRICS_PORT = REGISTRY.integer("PM_METRICS_PORT", 9404, -1, 65_535,
            "Port of /metrics, /healthz and /readyz; 0 = any free port, -1 = none.");
    public static final Setting PREFETCH_JOBS = REGISTRY.integer("PM_PREFETCH_JOBS", 1, 0, 4,
            "Jobs read and prepared while one generates; 0 = one job at a time.");

    // initial noise and operator dumps (read by CudaGrid and GenerationSettings)
    public static final Setting TORCH_CUDA_SM_COUNT = REGISTRY.integer("PM_TORCH_CUDA_SM_COUNT", 108, 1, 100_000,
            "Streaming multiprocessors of the GPU whose torch_cuda noise is reproduced (108 = A100).");
    public static final Setting TORCH_CUDA_THREADS_PER_SM = REGISTRY.integer("PM_TORCH_CUDA_THREADS_PER_SM", 2048,
            256, 65_536, "Threads per multiprocessor of that GPU.");
    public static final Setting DUMP_TENSORS_DIR = REGISTRY.path("PM_DUMP_TENSORS_DIR", "none",
            "Where the jobs of PM_DUMP_TENSORS_JOBS are dumped tensor by tensor.");
    public static final Setting DUMP_TENSORS_JOBS = REGISTRY.string("PM_DUMP_TENSORS_JOBS", "", "none",
            "Job ids to dump, comma-separated (an operator's tool).");

    // ONNX Runtime execution (read by ExecutionConfig)
    public static final Setting EXECUTION_PROVIDER = REGISTRY.choice("PM_EXECUTION_PROVIDER", "auto", "auto",
            List.of("auto", "cuda", "cpu"), "cuda fails when CUDA does not load; auto falls back to the CPU.");
    public static final Setting CUDA_DEVICE_ID = REGISTRY.integer("PM_CUDA_DEVICE_ID", 0, 0, Integer.MAX_VALUE,
            "GPU the worker runs on.");
    public static final Setting CUDA_MEMORY_LIMIT_MB = REGISTRY.integer("PM_CUDA_MEMORY_LIMIT_MB", 0, 0,
            Long.MAX_VALUE / (1024 * 1024), "Cap of ONNX Runtime's GPU arena, MB; 0 = no limit.");
    public static final Setting CUDA_ARENA_STRATEGY = REGISTRY.choice("PM_CUDA_ARENA_STRATEGY", null,
            "next_power_of_two, or same_as_requested with a memory limit",
            List.of("next_power_of_two", "same_as_requested"), "How the GPU arena grows.");
    public static final Setting CUDNN_CONV_ALGO_SEARCH = REGISTRY.choice("PM_CUDNN_CONV_ALGO_SEARCH", "exhaustive",
            "exhaustive", List.of("exhaustive", "heuristic", "default"), "How cuDNN picks convolution algorithms.");
    public static final Setting CUDA_TF32 = REGISTRY.bool("PM_CUDA_TF32", true,
            "TF32 tensor cores for float32 convolutions and matrix products.");
    public static final Setting TENSORRT = REGISTRY.bool("PM_TENSORRT", false,
            "NVIDIA TensorRT in front of CUDA.");
    public static final Setting TENSORRT_CACHE_DIR = REGISTRY.path("PM_TENSORRT_CACHE_DIR", "none",
            "Where TensorRT engines and timing caches are kept between starts.");
    public static final Setting TENSORRT_FP16 = REGISTRY.bool("PM_TENSORRT_FP16", true,
            "Lets TensorRT run float32 layers in float16.");
    public static final Setting UNET_BATCH = REGISTRY.string("PM_UNET_BATCH", "auto", "auto",
            "Outputs of a job per UNet call: auto (from the GPU memory) or 1..8.");

    private WorkerSettings() {
    }
}
