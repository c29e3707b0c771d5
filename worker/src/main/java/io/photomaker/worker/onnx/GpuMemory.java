package io.photomaker.worker.onnx;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The memory of a CUDA device as {@code nvidia-smi} reports it (ONNX Runtime's Java API does not tell).
 * Empty where there is no such tool or device; a configured arena limit counts when it is smaller.
 */
public final class GpuMemory {
    private static final Logger LOG = LoggerFactory.getLogger(GpuMemory.class);
    private static final long MIB = 1024L * 1024;

    private GpuMemory() {
    }

    /** What the models may use on the configured device: the arena limit, or the device's total memory. */
    public static OptionalLong available(ExecutionConfig.Cuda cuda) {
        OptionalLong total = total(cuda.deviceId());
        long limit = cuda.memoryLimitBytes();
        if (limit > 0) {
            return OptionalLong.of(total.isPresent() ? Math.min(limit, total.getAsLong()) : limit);
        }
        return total;
    }

    /** Total memory of device {@code deviceId} in bytes, from nvidia-smi; empty when it cannot be asked. */
    public static OptionalLong total(int deviceId) {
        try {
            Process p = new ProcessBuilder("nvidia-smi", "--query-gpu=memory.total", "--format=csv,noheader,nounits",
                    "--id=" + deviceId).redirectErrorStream(true).start();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return OptionalLong.empty();
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.exitValue() == 0 ? parseMib(out) : OptionalLong.empty();
        } catch (IOException e) {
            return OptionalLong.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalLong.empty();
        }
    }

    /** nvidia-smi's answer (MiB, first line) in bytes. */
    static OptionalLong parseMib(String answer) {
        String first = answer.lines().findFirst().orElse("").trim();
        try {
            return OptionalLong.of(Long.parseLong(first) * MIB);
        } catch (NumberFormatException e) {
            LOG.debug("nvidia-smi answered {}", first);
            return OptionalLong.empty();
        }
    }
}
