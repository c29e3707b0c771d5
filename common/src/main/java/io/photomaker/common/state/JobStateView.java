package io.photomaker.common.state;

import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.KafkaClients;
import io.photomaker.common.kafka.Topics;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-memory copy of the compacted {@code photomaker.job-state} topic, kept current by one consumer
 * thread that reads every partition. Gateways answer GET and SSE from it; workers use it to see
 * cancellations. Listeners hear every new verdict; waiters can await a job that is about to appear.
 */
public final class JobStateView implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JobStateView.class);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, JobRecord> records = new ConcurrentHashMap<>();
    private final Map<String, List<CompletableFuture<JobRecord>>> waiters = new ConcurrentHashMap<>();
    private final List<Consumer<JobRecord>> listeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch caughtUp = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean healthy;

    public JobStateView(KafkaSettings kafka, String clientId) {
        this.consumer = new KafkaConsumer<>(KafkaClients.readerConsumer(kafka, clientId));
        this.thread = new Thread(this::run, "job-state-view");
        this.thread.setDaemon(true);
    }

    /** Starts reading and waits until the topic's current content is loaded (at most {@code timeout}). */
    public JobStateView start(Duration timeout) {
        thread.start();
        try {
            if (!caughtUp.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("job state view still loading after {} ms", timeout.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return this;
    }

    public Optional<JobRecord> get(String jobId) {
        return Optional.ofNullable(records.get(jobId));
    }

    public Collection<JobRecord> all() {
        return records.values();
    }

    public boolean isHealthy() {
        return healthy;
    }

    /** Calls {@code listener} on the view's thread for each new verdict; it must not block. */
    public void addListener(Consumer<JobRecord> listener) {
        listeners.add(listener);
    }

    public void removeListener(Consumer<JobRecord> listener) {
        listeners.remove(listener);
    }

    /**
     * Completes with the job's record as soon as the view has one, or exceptionally with a
     * {@link java.util.concurrent.TimeoutException} after {@code timeout}; a timed-out waiter is forgotten.
     */
    public CompletableFuture<JobRecord> awaitRecord(String jobId, Duration timeout) {
        JobRecord now = records.get(jobId);
        if (now != null) {
            return CompletableFuture.completedFuture(now);
        }
        CompletableFuture<JobRecord> f = new CompletableFuture<>();
        waiters.computeIfAbsent(jobId, k -> new CopyOnWriteArrayList<>()).add(f);
        JobRecord raced = records.get(jobId);
        if (raced != null) {
            f.complete(raced);
        }
        f.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((r, e) -> {
            if (e != null) {
                waiters.computeIfPresent(jobId, (k, list) -> {
                    list.remove(f);
                    return list.isEmpty() ? null : list;
                });
            }
        });
        return f;
    }

    private void run() {
        try {
            List<TopicPartition> parts = partitions();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    apply(r);
                }
                healthy = true;
                if (caughtUp.getCount() > 0 && reached(end)) {
                    caughtUp.countDown();
                }
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("job state view woken unexpectedly", e);
            }
        } catch (RuntimeException e) {
            healthy = false;
            LOG.error("job state view stopped: {}", e.toString(), e);
        } finally {
            caughtUp.countDown();
            consumer.close(Duration.ofSeconds(2));
        }
    }

    private List<TopicPartition> partitions() {
        while (running) {
            var infos = consumer.partitionsFor(Topics.JOB_STATE, Duration.ofSeconds(10));
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            }
        }
        throw new WakeupException();
    }

    private boolean reached(Map<TopicPartition, Long> end) {
        for (var e : end.entrySet()) {
            if (consumer.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void apply(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            records.remove(r.key());
            return;
        }
        JobRecord rec;
        try {
            rec = Json.read(r.value(), JobRecord.class);
        } catch (RuntimeException e) {
            LOG.warn("skipping unreadable job state for {}: {}", r.key(), e.getMessage());
            return;
        }
        JobRecord prev = records.get(rec.id());
        if (prev != null && prev.version() > rec.version()) {
            return;
        }
        records.put(rec.id(), rec);
        List<CompletableFuture<JobRecord>> w = waiters.remove(rec.id());
        if (w != null) {
            w.forEach(f -> f.complete(rec));
        }
        for (Consumer<JobRecord> l : listeners) {
            try {
                l.accept(rec);
            } catch (RuntimeException e) {
                LOG.warn("job state listener failed: {}", e.toString());
            }
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
