package io.photomaker.gateway.jobs;

import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.job.JobStatus;
import io.photomaker.common.job.WorkItemRef;
import io.photomaker.common.kafka.KafkaClients;
import io.photomaker.common.kafka.Topics;
import io.photomaker.common.model.ModelNames;
import io.photomaker.common.state.JobRecord;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A queued job's true place in line: its work item's offset against its model's worker group's committed
 * offset in the same partition of that model's work queue (1 = the next item the partition's worker takes;
 * items of retried and canceled jobs in between count, as the worker reads them too). The committed offsets
 * are fetched with one admin call per served model, at most every {@value #REFRESH_MS} ms and only while GETs
 * ask, so a position may be up to that old; until the first answer arrives no position is given.
 */
public final class QueuePositions implements AutoCloseable {
    static final long REFRESH_MS = 2_000;
    private static final Logger LOG = LoggerFactory.getLogger(QueuePositions.class);

    private final Admin admin;
    private final LongSupplier clock;
    private final AtomicBoolean refreshing = new AtomicBoolean();
    /** By work queue topic and partition: everything below has been consumed. */
    private volatile Map<TopicPartition, Long> consumed = Map.of();
    private volatile long fetchedAt = Long.MIN_VALUE / 2;

    public QueuePositions(KafkaSettings kafka) {
        Map<String, Object> cfg = new HashMap<>(KafkaClients.admin(kafka));
        cfg.put(AdminClientConfig.CLIENT_ID_CONFIG, "photomaker-gateway-positions");
        this.admin = Admin.create(cfg);
        this.clock = System::currentTimeMillis;
    }

    /** Fetches the offsets for the first time and waits up to {@code timeout} for them. */
    public QueuePositions start(Duration timeout) {
        try {
            refresh().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.warn("worker offsets not read yet ({}); queue positions appear once they are", e.toString());
        }
        return this;
    }

    /** 1-based place of {@code r}'s work item in its partition, or 0 when it is not queued or not known yet. */
    public int position(JobRecord r) {
        if (r.status() != JobStatus.QUEUED || r.workItem() == null) {
            return 0;
        }
        refreshIfOld();
        Long from = consumed.get(new TopicPartition(r.workItem().topic(), r.workItem().partition()));
        return from == null ? 0 : place(r.workItem(), from);
    }

    /** The place of {@code item} when the partition's worker has consumed everything below {@code consumedUpTo}. */
    static int place(WorkItemRef item, long consumedUpTo) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, item.offset() - consumedUpTo + 1));
    }

    private void refreshIfOld() {
        if (clock.getAsLong() - fetchedAt >= REFRESH_MS) {
            refresh();
        }
    }

    private java.util.concurrent.CompletionStage<Void> refresh() {
        if (!refreshing.compareAndSet(false, true)) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
        Map<TopicPartition, Long> all = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.concurrent.CompletableFuture<?>[] models = ModelNames.ALL.stream()
                .map(m -> consumedBy(Topics.workerGroupFor(m), Topics.jobsFor(m)).thenAccept(all::putAll)
                        .toCompletableFuture())
                .toArray(java.util.concurrent.CompletableFuture[]::new);
        return java.util.concurrent.CompletableFuture.allOf(models).orTimeout(10, TimeUnit.SECONDS)
                .whenComplete((v, e) -> {
                    if (e != null) {
                        LOG.debug("worker offsets not read: {}", e.toString());
                    } else {
                        consumed = Map.copyOf(all);
                        fetchedAt = clock.getAsLong();
                    }
                    refreshing.set(false);
                });
    }

    /**
     * The committed offset of {@code group} in each partition of {@code topic}; a partition the group has not
     * committed in yet (or a group that does not exist yet) starts at the partition's earliest offset.
     */
    private java.util.concurrent.CompletionStage<Map<TopicPartition, Long>> consumedBy(String group, String topic) {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().toCompletionStage()
                .exceptionally(e -> Map.of())
                .thenCompose(committed -> admin.describeTopics(java.util.List.of(topic)).allTopicNames()
                        .toCompletionStage()
                        .thenCompose(topics -> {
                            Map<TopicPartition, OffsetSpec> earliest = new HashMap<>();
                            topics.get(topic).partitions().forEach(p ->
                                    earliest.put(new TopicPartition(topic, p.partition()), OffsetSpec.earliest()));
                            return admin.listOffsets(earliest).all().toCompletionStage();
                        })
                        .thenApply(starts -> {
                            Map<TopicPartition, Long> out = new HashMap<>();
                            for (Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> s : starts.entrySet()) {
                                OffsetAndMetadata c = committed.get(s.getKey());
                                out.put(s.getKey(), Math.max(s.getValue().offset(), c == null ? 0 : c.offset()));
                            }
                            return out;
                        }));
    }

    @Override
    public void close() {
        admin.close(Duration.ofSeconds(2));
    }
}
