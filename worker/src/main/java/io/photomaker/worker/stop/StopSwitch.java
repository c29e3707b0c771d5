package io.photomaker.worker.stop;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The stop signal of one delivery. The loop throws it ({@link #stop}) when the worker drains or the
 * partition is revoked; the work marks the moment it takes the device ({@link #begin}). The first reason
 * is kept, so every later question gets the same answer and nobody has to look the job up again. Work
 * that has not begun when a hand-back reason arrives never begins: {@link #whenStopped} listeners can end
 * it at once instead of waiting for its turn.
 */
public final class StopSwitch implements StopSignal {
    private final List<Consumer<StopReason>> listeners = new ArrayList<>();
    private StopReason reason;
    private boolean begun;

    /** Stops the work for {@code why} unless it already has a reason. */
    public void stop(StopReason why) {
        List<Consumer<StopReason>> notify;
        synchronized (this) {
            if (reason != null) {
                return;
            }
            reason = why;
            notify = List.copyOf(listeners);
        }
        notify.forEach(l -> l.accept(why));
    }

    /** Stops the work for {@code why} only if it has not begun (a drain leaves the running job its time). */
    public void stopIfNotBegun(StopReason why) {
        synchronized (this) {
            if (begun) {
                return;
            }
        }
        stop(why);
    }

    /** Marks the work as begun; false (and nothing marked) when it was stopped before. */
    public synchronized boolean begin() {
        if (reason != null) {
            return false;
        }
        begun = true;
        return true;
    }

    public synchronized boolean hasBegun() {
        return begun;
    }

    /** Calls {@code listener} with the reason once the switch is thrown (at once if it already was). */
    public void whenStopped(Consumer<StopReason> listener) {
        StopReason now;
        synchronized (this) {
            now = reason;
            if (now == null) {
                listeners.add(listener);
            }
        }
        if (now != null) {
            listener.accept(now);
        }
    }

    @Override
    public synchronized Optional<StopReason> reason() {
        return Optional.ofNullable(reason);
    }

    /**
     * This switch's signal, which also throws it for {@link StopReason#CANCELED_BY_USER} once
     * {@code canceledByUser} says so (asked only while no reason is set).
     */
    public StopSignal orWhenCanceled(BooleanSupplier canceledByUser) {
        return () -> {
            Optional<StopReason> r = reason();
            if (r.isEmpty() && canceledByUser.getAsBoolean()) {
                stop(StopReason.CANCELED_BY_USER);
                r = reason();
            }
            return r;
        };
    }
}
