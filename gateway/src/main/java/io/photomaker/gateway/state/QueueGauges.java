package io.photomaker.gateway.state;

import io.photomaker.common.job.JobStatus;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Queued and running jobs in the partitions this gateway's state processor owns, for the
 * {@code photomaker_queue_depth} and {@code photomaker_jobs_running} gauges: summed over all gateways they
 * give the cluster's totals. Each task keeps its partition's counts in its store (so they survive moves)
 * and mirrors them here.
 */
public final class QueueGauges {
    private final Map<Integer, long[]> byPartition = new ConcurrentHashMap<>();

    void set(int partition, long queued, long running) {
        byPartition.put(partition, new long[] {queued, running});
    }

    void remove(int partition) {
        byPartition.remove(partition);
    }

    /** Store key of the count of jobs in {@code status} (not a tenant name: tenants cannot start with #). */
    public static String key(JobStatus status) {
        return "#" + status.wireName();
    }

    public long queued() {
        return byPartition.values().stream().mapToLong(c -> c[0]).sum();
    }

    public long running() {
        return byPartition.values().stream().mapToLong(c -> c[1]).sum();
    }
}
