package io.photomaker.gateway.state;

import io.photomaker.common.job.JobStatus;
import io.photomaker.common.json.Json;
import io.photomaker.common.state.JobControl;
import io.photomaker.common.state.JobRecord;
import io.photomaker.gateway.limits.UsageRecords;
import java.nio.ByteBuffer;
import java.util.Objects;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Everything one changed verdict leads to inside the state processor's transaction: the record in the
 * job-records store, the tenant index, the tenant's count of unfinished jobs, and the records forwarded to
 * {@code photomaker.job-state} (every change), {@code photomaker.job-control} (when a worker-relevant fact
 * changed) and {@code photomaker.tenant-usage} (when the tenant's count changed). Used by one task.
 */
final class VerdictOutputs {
    private final ProcessorContext<String, byte[]> ctx;
    private final KeyValueStore<String, byte[]> records;
    private final KeyValueStore<String, byte[]> index;
    private final KeyValueStore<String, byte[]> active;
    private final RecordArrivals arrivals;
    private final QueueGauges gauges;
    private final int partition;
    private long appliedThrough = -1;
    private long published = -1;

    VerdictOutputs(ProcessorContext<String, byte[]> ctx, RecordArrivals arrivals, QueueGauges gauges) {
        this.ctx = ctx;
        this.records = ctx.getStateStore(StateTopology.RECORDS);
        this.index = ctx.getStateStore(StateTopology.INDEX);
        this.active = ctx.getStateStore(StateTopology.ACTIVE);
        this.arrivals = arrivals;
        this.gauges = gauges;
        this.partition = ctx.taskId().partition();
        publishGauges();
    }

    /** Stores and announces {@code after}, which replaces {@code before} (null for a new job). */
    void write(JobRecord before, JobRecord after, long timestamp) {
        byte[] json = Json.bytes(after);
        records.put(after.id(), json);
        TenantIndex.update(index, before, after);
        ctx.forward(new Record<>(after.id(), json, timestamp), StateTopology.STATE_SINK);
        JobControl control = JobControl.of(after);
        if (before == null || !Objects.equals(JobControl.of(before), control)) {
            ctx.forward(new Record<>(after.id(), Json.bytes(control), timestamp), StateTopology.CONTROL_SINK);
        }
        int delta = (unfinished(after) ? 1 : 0) - (unfinished(before) ? 1 : 0);
        if (delta != 0) {
            count(after.tenant(), delta, timestamp);
        }
        if (before == null || before.status() != after.status()) {
            countStatus(before, -1);
            countStatus(after, 1);
            publishGauges();
        }
        arrivals.arrived(after.id());
    }

    /** Takes {@code r} out of the live state (it was archived): store, index, and tombstones downstream. */
    void remove(JobRecord r, long timestamp) {
        records.delete(r.id());
        TenantIndex.remove(index, r);
        if (unfinished(r)) {
            count(r.tenant(), -1, timestamp);
        }
        ctx.forward(new Record<>(r.id(), null, timestamp), StateTopology.STATE_SINK);
        ctx.forward(new Record<>(r.id(), null, timestamp), StateTopology.CONTROL_SINK);
    }

    /** Notes that every job event of this partition up to {@code offset} has been applied. */
    void applied(long offset) {
        appliedThrough = Math.max(appliedThrough, offset);
    }

    /** Publishes this partition's watermark when it moved since the last time. */
    void publishWatermark(long timestamp) {
        if (appliedThrough > published) {
            published = appliedThrough;
            ctx.forward(new Record<>(UsageRecords.watermarkKey(partition), UsageRecords.number(appliedThrough),
                    timestamp), StateTopology.USAGE_SINK);
        }
    }

    /** This task's partition is no longer here: its gauges go with it. */
    void close() {
        gauges.remove(partition);
    }

    private void countStatus(JobRecord r, int delta) {
        if (r != null && !r.status().isTerminal()) {
            add(QueueGauges.key(r.status()), delta);
        }
    }

    private void publishGauges() {
        gauges.set(partition, stored(QueueGauges.key(JobStatus.QUEUED)), stored(QueueGauges.key(JobStatus.RUNNING)));
    }

    private long stored(String key) {
        byte[] b = active.get(key);
        return b == null ? 0 : ByteBuffer.wrap(b).getLong();
    }

    private long add(String key, int delta) {
        long n = Math.max(0, stored(key) + delta);
        if (n == 0) {
            active.delete(key);
        } else {
            active.put(key, ByteBuffer.allocate(Long.BYTES).putLong(n).array());
        }
        return n;
    }

    private void count(String tenant, int delta, long timestamp) {
        long n = add(tenant, delta);
        ctx.forward(new Record<>(UsageRecords.countKey(tenant, partition), n == 0 ? null : UsageRecords.number(n),
                timestamp), StateTopology.USAGE_SINK);
    }

    private static boolean unfinished(JobRecord r) {
        return r != null && !r.status().isTerminal();
    }
}
