package io.photomaker.gateway.retention;

import io.photomaker.common.event.JobEvent;
import io.photomaker.common.job.JobStatus;
import io.photomaker.common.state.JobRecord;
import io.photomaker.gateway.timers.Schedule.Entry;
import io.photomaker.gateway.timers.Schedule.Kind;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides when a job's data goes: ID photos PM_INPUT_RETENTION_SECONDS after the job ends, outputs at
 * the record's {@code expires_at} (finish + PM_OUTPUT_TTL_SECONDS) for succeeded jobs and at once for
 * any other end, the record itself PM_JOB_RETENTION_SECONDS after the end (archived, then removed from
 * the state topic). Late outputs of a job that did not succeed are deleted as soon as they show up.
 * Times derive from the record's own timestamps, so every replica plans the same.
 */
public final class RetentionPlanner {
    private final RetentionPeriods cfg;

    public RetentionPlanner(RetentionPeriods cfg) {
        this.cfg = cfg;
    }

    /** {@code after} with its output expiry set, when it just succeeded. */
    public JobRecord withExpiry(JobRecord after) {
        if (after.status() == JobStatus.SUCCEEDED && after.expiresAt() == 0) {
            return after.withExpiresAt(after.finishedAt() + cfg.outputTtl().toMillis());
        }
        return after;
    }

    /** Timers the change from {@code before} to {@code after} calls for ({@code now} = wall clock). */
    public List<Entry> afterChange(JobRecord before, JobRecord after, long now) {
        List<Entry> out = new ArrayList<>();
        String id = after.id();
        boolean ended = after.status().isTerminal() && (before == null || !before.status().isTerminal());
        if (ended) {
            out.add(new Entry(after.finishedAt() + cfg.inputRetention().toMillis(), Kind.DELETE_INPUTS, id));
            out.add(new Entry(after.status() == JobStatus.SUCCEEDED ? after.expiresAt() : now,
                    Kind.DELETE_OUTPUTS, id));
            out.add(new Entry(after.finishedAt() + cfg.jobRetention().toMillis(), Kind.ARCHIVE, id));
        }
        if (after.dataDeleted() && (before == null || !before.dataDeleted())) {
            out.add(new Entry(now, Kind.DELETE_INPUTS, id));
            out.add(new Entry(now, Kind.DELETE_OUTPUTS, id));
        }
        return out;
    }

    /**
     * Timers a rejected event calls for: outputs reported for a job that ended without success (a worker
     * finishing after cancel, expiry or failure) are not the job's result and are deleted at once.
     */
    public List<Entry> afterRejection(JobRecord current, JobEvent e, long now) {
        if (current == null || !current.status().isTerminal() || current.status() == JobStatus.SUCCEEDED
                || e.outputs() == null || e.outputs().isEmpty()) {
            return List.of();
        }
        return List.of(new Entry(now, Kind.DELETE_OUTPUTS, current.id()));
    }
}
