package io.photomaker.worker.pipeline;

/** Thrown when a {@link CancellationToken} reports cancellation at a denoising step boundary. */
public final class GenerationCanceledException extends RuntimeException {

    private final int completedSteps;

    public GenerationCanceledException(int completedSteps) {
        super("generation canceled after " + completedSteps + " denoising steps");
        this.completedSteps = completedSteps;
    }

    /** Denoising steps finished (over all outputs) before the cancellation was seen. */
    public int completedSteps() {
        return completedSteps;
    }
}
