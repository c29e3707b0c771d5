package io.photomaker.gateway.limits;

import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.kafka.KafkaClients;
import io.photomaker.common.kafka.TopicFollower;
import io.photomaker.common.kafka.Topics;
import io.photomaker.gateway.state.UsageRecords;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The cluster's per-tenant usage as the state processors publish it on {@code photomaker.tenant-usage}
 * ({@link UsageRecords}): each tenant's unfinished jobs summed over all partitions, and per partition the
 * job-event offset up to which those counts are complete. Small (tenants x partitions entries), read whole
 * by every gateway on one thread; {@link #isCaughtUp()} once the topic's content at start has been read.
 */
public final class ClusterUsage extends TopicFollower implements UsageView {
    private final IntSupplier members;
    private final Map<String, Long> counts = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> totals = new ConcurrentHashMap<>();
    private final Map<Integer, Long> watermarks = new ConcurrentHashMap<>();

    /** {@code members} says how many gateways share the limits (the state processor's group). */
    public ClusterUsage(KafkaSettings kafka, String clientId, IntSupplier members) {
        super(KafkaClients.readerConsumer(kafka, clientId), Topics.TENANT_USAGE, From.BEGINNING, "tenant-usage",
                Duration.ofMillis(100));
        this.members = members;
    }

    public ClusterUsage start() {
        startFollowing();
        return this;
    }

    @Override
    public long unfinished(String tenant) {
        AtomicLong n = totals.get(tenant);
        return n == null ? 0 : Math.max(0, n.get());
    }

    @Override
    public boolean counted(int partition, long offset) {
        Long w = watermarks.get(partition);
        return w != null && w >= offset;
    }

    @Override
    public int gateways() {
        return Math.max(1, members.getAsInt());
    }

    @Override
    protected void onRecord(ConsumerRecord<String, byte[]> r) {
        apply(r.key(), r.value());
    }

    void apply(String key, byte[] value) {
        int partition = key == null ? -1 : UsageRecords.partitionOf(key);
        if (partition < 0) {
            return;
        }
        long n = UsageRecords.parse(value);
        if (UsageRecords.isWatermark(key)) {
            watermarks.merge(partition, n, Math::max);
            return;
        }
        Long before = n == 0 ? counts.remove(key) : counts.put(key, n);
        long delta = n - (before == null ? 0 : before);
        if (delta != 0) {
            totals.computeIfAbsent(UsageRecords.tenantOf(key), t -> new AtomicLong()).addAndGet(delta);
        }
    }
}
