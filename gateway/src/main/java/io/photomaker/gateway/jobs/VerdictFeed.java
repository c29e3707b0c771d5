package io.photomaker.gateway.jobs;

import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.KafkaClients;
import io.photomaker.common.kafka.Topics;
import io.photomaker.common.state.JobRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows new verdicts on {@code photomaker.job-state} from its end, keeping no history: event streams and
 * {@code Prefer: wait} register a follower for one job id, and each verdict costs one map lookup by its key
 * (a record is only parsed when someone follows its job). Followers are called on the feed's thread and must
 * not block. A follower sees every verdict committed after it registered; what came before, it reads from
 * the job's owner.
 */
public final class VerdictFeed implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(VerdictFeed.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, List<Consumer<JobRecord>>> followers = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile boolean live;

    public VerdictFeed(KafkaSettings kafka, String clientId) {
        java.util.Properties p = KafkaClients.readerConsumer(kafka, clientId);
        // The consumer keeps the last fetch of every partition: bound it, the feed only needs the new records.
        p.put(org.apache.kafka.clients.consumer.ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 256 * 1024);
        p.put(org.apache.kafka.clients.consumer.ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 4 * 1024 * 1024);
        this.consumer = new KafkaConsumer<>(p);
        this.thread = new Thread(this::run, "verdict-feed");
        this.thread.setDaemon(true);
    }

    public VerdictFeed start() {
        thread.start();
        return this;
    }

    /** A registration; {@link #close()} ends it. */
    public interface Follow extends AutoCloseable {
        @Override
        void close();
    }

    /** Calls {@code onVerdict} with every new verdict of {@code jobId} until the returned handle is closed. */
    public Follow follow(String jobId, Consumer<JobRecord> onVerdict) {
        followers.computeIfAbsent(jobId, k -> new CopyOnWriteArrayList<>()).add(onVerdict);
        return () -> followers.computeIfPresent(jobId, (k, list) -> {
            list.remove(onVerdict);
            return list.isEmpty() ? null : list;
        });
    }

    /** Whether the feed is positioned at the topic's end and polling (for readiness). */
    public boolean isLive() {
        return live && thread.isAlive();
    }

    /** Jobs with at least one follower. */
    public int followed() {
        return followers.size();
    }

    private void run() {
        try {
            List<TopicPartition> parts = partitions();
            consumer.assign(parts);
            consumer.seekToEnd(parts);
            // Resolves the lazy seek now, so that "live" means positioned at the end.
            parts.forEach(consumer::position);
            live = true;
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(POLL)) {
                    dispatch(r);
                }
            }
        } catch (WakeupException e) {
            if (running) {
                LOG.error("verdict feed woken unexpectedly", e);
            }
        } catch (RuntimeException e) {
            LOG.error("verdict feed stopped: {}", e.toString(), e);
        } finally {
            live = false;
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

    private void dispatch(ConsumerRecord<String, byte[]> r) {
        List<Consumer<JobRecord>> list = r.key() == null || r.value() == null ? null : followers.get(r.key());
        if (list == null) {
            return;
        }
        JobRecord rec;
        try {
            rec = Json.read(r.value(), JobRecord.class);
        } catch (RuntimeException e) {
            LOG.warn("skipping an unreadable verdict for {}: {}", r.key(), e.getMessage());
            return;
        }
        for (Consumer<JobRecord> f : list) {
            try {
                f.accept(rec);
            } catch (RuntimeException e) {
                LOG.warn("verdict follower failed: {}", e.toString());
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
