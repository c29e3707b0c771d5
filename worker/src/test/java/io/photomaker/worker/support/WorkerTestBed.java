package io.photomaker.worker.support;

import io.photomaker.common.config.Settings;
import io.photomaker.common.kafka.JobProducer;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.testkit.infra.EmbeddedKafka;
import io.photomaker.testkit.infra.EmbeddedS3;
import io.photomaker.testkit.infra.ReferenceStateWriter;
import java.util.HashMap;
import java.util.Map;

/**
 * What a worker runs against in a test: a real broker, a real S3 API server with its bucket, the reference
 * state writer standing in for the gateway's state processor, and a producer to submit work. Closed in the
 * reverse order of starting.
 */
public final class WorkerTestBed implements AutoCloseable {
    private final EmbeddedKafka kafka;
    private final EmbeddedS3 s3;
    private final ObjectStore store;
    private final ReferenceStateWriter writer;
    private final JobProducer producer;

    private WorkerTestBed(int partitions) {
        kafka = EmbeddedKafka.start(partitions);
        s3 = EmbeddedS3.start();
        store = new ObjectStore(s3.settings());
        store.ensureBucket().join();
        writer = new ReferenceStateWriter(kafka.settings());
        producer = new JobProducer(kafka.settings(), "test-client");
    }

    /** A broker with {@code partitions} partitions per topic, an S3 server and the state writer. */
    public static WorkerTestBed start(int partitions) {
        return new WorkerTestBed(partitions);
    }

    /** A worker's settings against this bed (no metrics port unless {@code extra} names one), plus {@code extra}. */
    public Settings workerSettings(Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("PM_KAFKA_BOOTSTRAP", kafka.bootstrapServers());
        env.put("PM_S3_ENDPOINT", s3.endpoint().toString());
        env.put("PM_S3_BUCKET", EmbeddedS3.BUCKET);
        env.put("PM_S3_ACCESS_KEY", EmbeddedS3.ACCESS_KEY);
        env.put("PM_S3_SECRET_KEY", EmbeddedS3.SECRET_KEY);
        env.put("PM_METRICS_PORT", "-1");
        env.put("PM_EXECUTION_PROVIDER", "cpu");
        env.putAll(extra);
        return Settings.of(env);
    }

    public EmbeddedKafka kafka() {
        return kafka;
    }

    public EmbeddedS3 s3() {
        return s3;
    }

    public ObjectStore store() {
        return store;
    }

    public ReferenceStateWriter writer() {
        return writer;
    }

    public JobProducer producer() {
        return producer;
    }

    @Override
    public void close() {
        producer.close();
        writer.close();
        store.close();
        s3.close();
        kafka.close();
    }
}
