package io.photomaker.gateway.support;

import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.KafkaClients;
import io.photomaker.common.kafka.TopicFollower;
import io.photomaker.common.kafka.Topics;
import io.photomaker.common.state.JobRecord;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What the state processors published: the latest verdict per job on {@code photomaker.job-state}, read from
 * the beginning by one thread. A test's neutral witness of the processor's output (no production process
 * keeps such a copy).
 */
public final class VerdictLog extends TopicFollower {
    private final Map<String, JobRecord> latest = new ConcurrentHashMap<>();

    public VerdictLog(KafkaSettings kafka, String clientId) {
        super(KafkaClients.readerConsumer(kafka, clientId), Topics.JOB_STATE, From.BEGINNING, "verdict-log",
                Duration.ofMillis(50));
        startFollowing();
    }

    public Optional<JobRecord> get(String jobId) {
        return Optional.ofNullable(latest.get(jobId));
    }

    @Override
    protected void onRecord(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            latest.remove(r.key());
        } else {
            JobRecord rec = Json.read(r.value(), JobRecord.class);
            latest.merge(rec.id(), rec, (a, b) -> b.version() >= a.version() ? b : a);
        }
    }
}
