package io.photomaker.gateway.support;

import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.config.S3Settings;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.testkit.infra.EmbeddedKafka;
import io.photomaker.testkit.infra.EmbeddedS3;
import java.util.concurrent.TimeUnit;

/**
 * One embedded Kafka broker and one embedded S3 server for the whole test JVM, started on first use and
 * stopped when the test session ends ({@link SharedInfraCloser}). Every test gateway runs its own state
 * processor on them (retention off unless a test mounts it, so tests decide when photos go); the gateways
 * alive at one time form one cluster. Test classes isolate themselves by tenant.
 */
public final class SharedInfra {
    private static SharedInfra instance;

    private final EmbeddedKafka kafka;
    private final EmbeddedS3 s3;
    private final ObjectStore store;

    private SharedInfra() {
        this.kafka = EmbeddedKafka.start(2);
        this.s3 = EmbeddedS3.start();
        this.store = new ObjectStore(s3.settings());
        try {
            store.ensureBucket().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("bucket could not be created", e);
        }
    }

    public static synchronized SharedInfra get() {
        if (instance == null) {
            instance = new SharedInfra();
        }
        return instance;
    }

    /**
     * Stops the infrastructure if it was started. Called when the test session ends, before the JVM exits:
     * stopped from a shutdown hook instead, the broker would race the hooks that delete its log directories
     * and halt the JVM with a non-zero exit code.
     */
    static synchronized void stopIfStarted() {
        if (instance != null) {
            instance.stop();
            instance = null;
        }
    }

    private void stop() {
        store.close();
        s3.close();
        kafka.close();
    }

    public KafkaSettings kafka() {
        return kafka.settings();
    }

    public S3Settings s3() {
        return s3.settings();
    }

    public EmbeddedS3 embeddedS3() {
        return s3;
    }

    public ObjectStore store() {
        return store;
    }

}
