package io.photomaker.worker.stop;

import java.util.Optional;

/**
 * Asked at every step boundary whether the work in hand must stop, and why. Work that sees a reason
 * throws {@link Stopped} carrying it, so whoever catches it knows at once whether to end the job or
 * hand it back.
 */
@FunctionalInterface
public interface StopSignal {

    /** A signal that never stops anything. */
    StopSignal NONE = Optional::empty;

    /** The reason to stop, or empty to go on. */
    Optional<StopReason> reason();

    /** Throws {@link Stopped} when there is a reason to stop; {@code completedSteps} is reported with it. */
    default void check(int completedSteps) {
        Optional<StopReason> r = reason();
        if (r.isPresent()) {
            throw new Stopped(r.get(), completedSteps);
        }
    }
}
