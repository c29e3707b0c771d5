package io.photomaker.worker.run;

import io.photomaker.worker.stop.StopSignal;
import java.util.function.Supplier;

/** What a running job may ask of the runner: report progress and learn whether (and why) to stop. */
public interface JobContext {
    /** The attempt number this run belongs to. */
    int attempt();

    /** Reports that denoising step {@code step} of {@code total} is done. */
    void progress(int step, int total);

    /** Asked at step boundaries: a reason means stop there (throw {@link io.photomaker.worker.stop.Stopped}). */
    StopSignal stop();

    /**
     * Runs one named phase of the job ({@code download_inputs}, {@code encode_id}, {@code denoise},
     * {@code decode_upload}) and returns its result; the runner records it as a span of the job's trace.
     */
    default <T> T phase(String name, Supplier<T> work) {
        return work.get();
    }
}
