package io.photomaker.worker.pipeline;

/** Told after each denoising step; {@code total} counts the steps of every output image of the request. */
@FunctionalInterface
public interface ProgressListener {

    /** A listener that ignores progress. */
    ProgressListener NONE = (step, total) -> { };

    /** Step {@code step} of {@code total} (1-based) has finished. */
    void onStep(int step, int total);
}
