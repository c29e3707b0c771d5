package io.photomaker.gateway.ops;

import io.photomaker.gateway.kafka.VerdictFeed;
import io.photomaker.gateway.limits.ClusterUsage;
import io.photomaker.gateway.state.JobStateProcessor;
import io.photomaker.gateway.state.RestoreProgress;
import java.util.Optional;

/**
 * Whether this gateway's share of the job state is ready to serve: its state processor has restored every
 * store partition it owns and is processing, the verdict feed is following the state topic's end, and the
 * tenant usage counts have been read up to where they stood at start. Until then GETs it owns would be
 * refused and quotas under-counted, so /readyz says no.
 */
public final class StateReadiness {
    private final JobStateProcessor processor;
    private final VerdictFeed feed;
    private final ClusterUsage usage;

    public StateReadiness(JobStateProcessor processor, VerdictFeed feed, ClusterUsage usage) {
        this.processor = processor;
        this.feed = feed;
        this.usage = usage;
    }

    /** Why the state is not ready, or empty when it is. */
    public Optional<String> problem() {
        if (!processor.isRunning()) {
            RestoreProgress r = processor.restoreProgress();
            return Optional.of(r.inProgress() > 0
                    ? "job state restoring (" + r.restored() + " of " + r.total() + " changelog records)"
                    : "job state processor " + processor.state().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (!feed.isCaughtUp()) {
            return Optional.of("verdict feed not following yet");
        }
        if (!usage.isCaughtUp()) {
            return Optional.of("tenant usage still loading");
        }
        return Optional.empty();
    }
}
