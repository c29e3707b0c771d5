package io.photomaker.worker.run;

/** What a running job may ask of the loop running it: report progress and learn of cancellation. */
public interface JobContext {
    /** The attempt number this run belongs to. */
    int attempt();

    /** Reports that denoising step {@code step} of {@code total} is done. */
    void progress(int step, int total);

    /** True once the job should stop at the next step boundary (canceled, drained or handed back). */
    boolean isCancelled();

    /**
     * Runs one named phase of the job ({@code download_inputs}, {@code encode_id}, {@code denoise},
     * {@code decode_upload}) and returns its result; the runner records it as a span of the job's trace.
     */
    default <T> T phase(String name, java.util.function.Supplier<T> work) {
        return work.get();
    }
}
