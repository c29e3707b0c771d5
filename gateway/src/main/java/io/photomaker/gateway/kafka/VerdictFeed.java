package io.photomaker.gateway.kafka;

import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.KafkaClients;
import io.photomaker.common.kafka.TopicFollower;
import io.photomaker.common.kafka.Topics;
import io.photomaker.common.state.JobRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows new verdicts on {@code photomaker.job-state} from its end, keeping no history: event streams and
 * {@code Prefer: wait} register a follower for one job id, and each verdict costs one map lookup by its key
 * (a record is only parsed when someone follows its job). Followers are called on the feed's thread and must
 * not block. A follower sees every verdict committed after it registered; what came before, it reads from
 * the job's owner.
 */
public final class VerdictFeed extends TopicFollower {
    private static final Logger LOG = LoggerFactory.getLogger(VerdictFeed.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final Map<String, List<Consumer<JobRecord>>> followers = new ConcurrentHashMap<>();

    public VerdictFeed(KafkaSettings kafka, String clientId) {
        super(boundedFetches(KafkaClients.readerConsumer(kafka, clientId)), Topics.JOB_STATE, From.END, "verdict-feed",
                POLL);
    }

    /** The consumer keeps the last fetch of every partition: bound it, the feed only needs the new records. */
    private static Properties boundedFetches(Properties p) {
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 256 * 1024);
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 4 * 1024 * 1024);
        return p;
    }

    public VerdictFeed start() {
        startFollowing();
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

    /** Jobs with at least one follower. */
    public int followed() {
        return followers.size();
    }

    @Override
    protected void onRecord(ConsumerRecord<String, byte[]> r) {
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
}
