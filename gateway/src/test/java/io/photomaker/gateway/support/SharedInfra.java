package io.photomaker.gateway.support;

import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.config.S3Settings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.gateway.state.JobStateProcessor;
import io.photomaker.gateway.state.LifecycleConfig;
import io.photomaker.testkit.infra.EmbeddedKafka;
import io.photomaker.testkit.infra.EmbeddedS3;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * One embedded Kafka broker, one embedded S3 server and the production job state processor (verdicts,
 * expiry and webhook planning; retention off, so tests decide when photos go) for the whole test JVM,
 * started on first use and stopped when the test session ends ({@link SharedInfraCloser}). Test classes isolate
 * themselves by tenant.
 */
public final class SharedInfra {
    private static SharedInfra instance;

    private final EmbeddedKafka kafka;
    private final EmbeddedS3 s3;
    private final ObjectStore store;
    private final JobStateProcessor processor;

    private SharedInfra() {
        this.kafka = EmbeddedKafka.start(2);
        this.s3 = EmbeddedS3.start();
        this.store = new ObjectStore(s3.settings());
        try {
            store.ensureBucket().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("bucket could not be created", e);
        }
        // No state directory configured: the processor uses a temporary one and deletes it on close.
        this.processor = JobStateProcessor.start(kafka.settings(), LifecycleConfig.defaults(), null,
                new SimpleMeterRegistry());
        if (!processor.awaitRunning(Duration.ofSeconds(60))) {
            throw new IllegalStateException("the job state processor did not start: " + processor.state());
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
        processor.close();
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

    public JobStateProcessor processor() {
        return processor;
    }
}
