package io.photomaker.worker.pipeline;

/** Asked at every denoising step boundary whether the job should stop. */
@FunctionalInterface
public interface CancellationToken {

    /** A token that never cancels. */
    CancellationToken NONE = () -> false;

    boolean isCancelled();
}
