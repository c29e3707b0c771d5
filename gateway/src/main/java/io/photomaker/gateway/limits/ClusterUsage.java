package io.photomaker.gateway.limits;

import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.kafka.KafkaClients;
import io.photomaker.common.kafka.Topics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cluster's per-tenant usage as the state processors publish it on {@code photomaker.tenant-usage}
 * ({@link UsageRecords}): each tenant's unfinished jobs summed over all partitions, and per partition the
 * job-event offset up to which those counts are complete. Small (tenants x partitions entries), read whole
 * by every gateway on one thread; {@link #isCaughtUp()} once the topic's content at start has been read.
 */
public final class ClusterUsage implements UsageView, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterUsage.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final IntSupplier members;
    private final Map<String, Long> counts = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> totals = new ConcurrentHashMap<>();
    private final Map<Integer, Long> watermarks = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean caughtUp;

    /** {@code members} says how many gateways share the limits (the state processor's group). */
    public ClusterUsage(KafkaSettings kafka, String clientId, IntSupplier members) {
        this.consumer = new KafkaConsumer<>(KafkaClients.readerConsumer(kafka, clientId));
        this.members = members;
        this.thread = new Thread(this::run, "tenant-usage");
        this.thread.setDaemon(true);
    }

    public ClusterUsage start() {
        thread.start();
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

    /** Whether what the topic held when this gateway started has been read. */
    public boolean isCaughtUp() {
        return caughtUp && thread.isAlive();
    }

    private void run() {
        try {
            List<TopicPartition> parts = partitions();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    apply(r.key(), r.value());
                }
                if (!caughtUp && end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue())) {
                    caughtUp = true;
                }
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("tenant usage reader woken unexpectedly", e);
            }
        } catch (RuntimeException e) {
            LOG.error("tenant usage reader stopped: {}", e.toString(), e);
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** The topic's partitions, once it exists (a cluster that provisions topics may create it after us). */
    private List<TopicPartition> partitions() {
        while (running) {
            var infos = consumer.partitionsFor(Topics.TENANT_USAGE, Duration.ofSeconds(10));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            }
            LOG.warn("topic {} does not exist yet; quotas wait for it", Topics.TENANT_USAGE);
        }
        throw new WakeupException();
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

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
