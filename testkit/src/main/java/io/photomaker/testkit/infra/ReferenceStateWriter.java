package io.photomaker.testkit.infra;

import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.event.JobEvent;
import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.JobProducer;
import io.photomaker.common.kafka.KafkaClients;
import io.photomaker.common.kafka.Topics;
import io.photomaker.common.state.JobControl;
import io.photomaker.common.state.JobRecord;
import io.photomaker.common.state.JobStateMachine;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;

/**
 * A minimal single-threaded job-state writer for module tests that run without the gateway: it reads
 * every job event in order, applies {@link JobStateMachine} and writes verdicts to the state topic and,
 * when a worker-relevant fact changes, control records to the control topic, as the gateway's state
 * processor does. The gateway's Kafka Streams processor is the production writer; this one holds its state
 * in memory, which tests may read ({@link #get}).
 */
public final class ReferenceStateWriter implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final JobProducer producer;
    private final Map<String, JobRecord> records = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean running = true;

    public ReferenceStateWriter(KafkaSettings kafka) {
        this.consumer = new KafkaConsumer<>(KafkaClients.readerConsumer(kafka, "reference-state-writer"));
        this.producer = new JobProducer(kafka, "reference-state-writer");
        this.thread = new Thread(this::run, "reference-state-writer");
        this.thread.setDaemon(true);
        this.thread.start();
    }

    private void run() {
        try {
            KafkaClients.assignFromBeginning(consumer, Topics.JOB_EVENTS, Duration.ofSeconds(20));
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                    JobEvent e = Json.read(r.value(), JobEvent.class);
                    JobRecord before = records.get(e.jobId());
                    JobStateMachine.Decision d = JobStateMachine.apply(before, e);
                    if (d.changed(before)) {
                        records.put(e.jobId(), d.record());
                        producer.send(new ProducerRecord<>(Topics.JOB_STATE, e.jobId(), Json.bytes(d.record())));
                        JobControl control = JobControl.of(d.record());
                        if (before == null || !control.equals(JobControl.of(before))) {
                            producer.send(new ProducerRecord<>(Topics.JOB_CONTROL, e.jobId(), Json.bytes(control)));
                        }
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close(Duration.ofSeconds(2));
        }
    }

    /** The latest verdict this writer made for {@code jobId}. */
    public Optional<JobRecord> get(String jobId) {
        return Optional.ofNullable(records.get(jobId));
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
        producer.close();
    }
}
