package io.photomaker.testkit.contract;

import io.photomaker.common.config.KafkaSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;

/** The Kafka contract against an apache/kafka container; skipped where no Docker engine runs. */
@Testcontainers(disabledWithoutDocker = true)
class ContainerKafkaTest extends KafkaContract {
    private static KafkaContainer kafka;

    @BeforeAll
    static void start() {
        kafka = new KafkaContainer("apache/kafka:4.1.0");
        kafka.start();
    }

    @AfterAll
    static void stop() {
        if (kafka != null) {
            kafka.stop();
        }
    }

    @Override
    protected KafkaSettings kafka() {
        return new KafkaSettings(kafka.getBootstrapServers(), 3, (short) 1);
    }
}
