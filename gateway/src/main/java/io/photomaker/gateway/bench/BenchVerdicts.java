package io.photomaker.gateway.bench;

import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.event.JobEvent;
import io.photomaker.common.job.JobMessage;
import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.KafkaClients;
import io.photomaker.common.kafka.Topics;
import io.photomaker.common.state.JobStateMachine;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Stands in for the state processor during the benchmark: every work item on photomaker.jobs becomes a
 * queued verdict on photomaker.job-state, so GETs find their jobs. Drop it once the gateway runs the real
 * processor.
 */
final class BenchVerdicts implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final Thread thread;
    private volatile boolean running = true;

    BenchVerdicts(KafkaSettings kafka) {
        this.consumer = new KafkaConsumer<>(KafkaClients.readerConsumer(kafka, "bench-verdicts"));
        this.producer = new KafkaProducer<>(KafkaClients.producer(kafka, "bench-verdicts"));
        this.thread = new Thread(this::run, "bench-verdicts");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        try {
            List<TopicPartition> parts = consumer.partitionsFor(Topics.JOBS, Duration.ofSeconds(20)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    JobMessage job = Json.read(r.value(), JobMessage.class);
                    var verdict = JobStateMachine.apply(null, JobEvent.submitted(job)).record();
                    producer.send(new ProducerRecord<>(Topics.JOB_STATE, job.jobId(), Json.bytes(verdict)));
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(2));
            producer.close(Duration.ofSeconds(2));
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
