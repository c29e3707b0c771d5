package io.photomaker.gateway.support;

import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.event.JobEvent;
import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.KafkaClients;
import io.photomaker.common.kafka.Topics;
import io.photomaker.common.state.JobRecord;
import io.photomaker.common.state.JobStateMachine;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Test stand-in for the gateway's state processor until it is merged: reads photomaker.job-events, applies
 * {@link JobStateMachine} per job and writes changed verdicts to photomaker.job-state. Replace it with the
 * real processor when that lands.
 */
public final class StateVerdictWriter implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final Map<String, JobRecord> current = new HashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    private StateVerdictWriter(KafkaSettings kafka) {
        this.consumer = new KafkaConsumer<>(KafkaClients.readerConsumer(kafka, "test-verdict-writer"));
        this.producer = new KafkaProducer<>(KafkaClients.producer(kafka, "test-verdict-writer"));
        this.thread = new Thread(this::run, "test-verdict-writer");
        this.thread.setDaemon(true);
    }

    public static StateVerdictWriter start(KafkaSettings kafka) {
        StateVerdictWriter w = new StateVerdictWriter(kafka);
        w.thread.start();
        return w;
    }

    private void run() {
        try {
            List<TopicPartition> parts = consumer.partitionsFor(Topics.JOB_EVENTS, Duration.ofSeconds(20)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    apply(Json.read(r.value(), JobEvent.class));
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(2));
            producer.close(Duration.ofSeconds(2));
        }
    }

    private void apply(JobEvent event) {
        JobRecord before = current.get(event.jobId());
        JobStateMachine.Decision d = JobStateMachine.apply(before, event);
        if (d.changed(before)) {
            current.put(event.jobId(), d.record());
            producer.send(new ProducerRecord<>(Topics.JOB_STATE, event.jobId(), Json.bytes(d.record())));
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
