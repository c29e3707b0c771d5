package io.photomaker.testkit.infra;

import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.event.JobEvent;
import io.photomaker.common.json.Json;
import io.photomaker.common.kafka.JobProducer;
import io.photomaker.common.kafka.KafkaClients;
import io.photomaker.common.kafka.TopicFollower;
import io.photomaker.common.kafka.Topics;
import io.photomaker.common.state.JobControl;
import io.photomaker.common.state.JobRecord;
import io.photomaker.common.state.JobStateMachine;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * A minimal single-threaded job-state writer for module tests that run without the gateway: it reads
 * every job event in order, applies {@link JobStateMachine} and writes verdicts to the state topic and,
 * when a worker-relevant fact changes, control records to the control topic, as the gateway's state
 * processor does. The gateway's Kafka Streams processor is the production writer; this one holds its state
 * in memory, which tests may read ({@link #get}).
 */
public final class ReferenceStateWriter extends TopicFollower {
    private final JobProducer producer;
    private final Map<String, JobRecord> records = new ConcurrentHashMap<>();

    public ReferenceStateWriter(KafkaSettings kafka) {
        super(KafkaClients.readerConsumer(kafka, "reference-state-writer"), Topics.JOB_EVENTS, From.BEGINNING,
                "reference-state-writer", Duration.ofMillis(50));
        this.producer = new JobProducer(kafka, "reference-state-writer");
        startFollowing();
    }

    @Override
    protected void onRecord(ConsumerRecord<String, byte[]> r) {
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

    /** The latest verdict this writer made for {@code jobId}. */
    public Optional<JobRecord> get(String jobId) {
        return Optional.ofNullable(records.get(jobId));
    }

    @Override
    public void close() {
        super.close();
        producer.close();
    }
}
