package io.photomaker.gateway.support;

import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.config.S3Settings;
import io.photomaker.common.storage.ObjectStore;
import io.photomaker.testkit.infra.EmbeddedKafka;
import io.photomaker.testkit.infra.EmbeddedS3;
import java.util.concurrent.TimeUnit;

/**
 * One embedded Kafka broker, one embedded S3 server and one interim state writer for the whole test JVM,
 * started on first use and stopped when the JVM exits. Test classes isolate themselves by tenant.
 */
public final class SharedInfra {
    private static SharedInfra instance;

    private final EmbeddedKafka kafka;
    private final EmbeddedS3 s3;
    private final ObjectStore store;
    private final StateVerdictWriter writer;

    private SharedInfra() {
        this.kafka = EmbeddedKafka.start(2);
        this.s3 = EmbeddedS3.start();
        this.store = new ObjectStore(s3.settings());
        try {
            store.ensureBucket().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("bucket could not be created", e);
        }
        this.writer = StateVerdictWriter.start(kafka.settings());
    }

    public static synchronized SharedInfra get() {
        if (instance == null) {
            instance = new SharedInfra();
            Runtime.getRuntime().addShutdownHook(new Thread(instance::stop, "shared-infra-stop"));
        }
        return instance;
    }

    private void stop() {
        writer.close();
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

    public StateVerdictWriter writer() {
        return writer;
    }
}
