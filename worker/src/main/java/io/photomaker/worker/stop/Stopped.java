package io.photomaker.worker.stop;

/** Work stopped at a step boundary because its {@link StopSignal} gave a reason. */
public final class Stopped extends RuntimeException {
    private final StopReason reason;
    private final int completedSteps;

    public Stopped(StopReason reason, int completedSteps) {
        super("stopped (" + reason.name().toLowerCase(java.util.Locale.ROOT) + ") after " + completedSteps
                + " denoising steps", null, false, false);
        this.reason = reason;
        this.completedSteps = completedSteps;
    }

    public StopReason reason() {
        return reason;
    }

    /** Denoising steps finished (over all outputs) before the signal was seen. */
    public int completedSteps() {
        return completedSteps;
    }
}
