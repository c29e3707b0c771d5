package io.photomaker.gateway.support;

import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.KafkaClients;
import io.photomaker.common.kafka.Topics;
import io.photomaker.common.state.JobRecord;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * What the state processors published: the latest verdict per job on {@code photomaker.job-state}, read from
 * the beginning by one thread. A test's neutral witness of the processor's output (no production process
 * keeps such a copy).
 */
public final class VerdictLog implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, JobRecord> latest = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    public VerdictLog(KafkaSettings kafka, String clientId) {
        this.consumer = new KafkaConsumer<>(KafkaClients.readerConsumer(kafka, clientId));
        this.thread = new Thread(this::run, "verdict-log");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    public Optional<JobRecord> get(String jobId) {
        return Optional.ofNullable(latest.get(jobId));
    }

    private void run() {
        try {
            List<TopicPartition> parts = consumer.partitionsFor(Topics.JOB_STATE, Duration.ofSeconds(20)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    if (r.value() == null) {
                        latest.remove(r.key());
                    } else {
                        JobRecord rec = Json.read(r.value(), JobRecord.class);
                        latest.merge(rec.id(), rec, (a, b) -> b.version() >= a.version() ? b : a);
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(2));
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
