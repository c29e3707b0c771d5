package io.photomaker.testkit.contract;

import io.photomaker.common.config.KafkaSettings;
import io.photomaker.testkit.infra.EmbeddedKafka;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The Kafka contract against the in-process KRaft broker. */
class EmbeddedKafkaTest extends KafkaContract {
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void start() {
        kafka = EmbeddedKafka.start(3);
    }

    @AfterAll
    static void stop() {
        kafka.close();
    }

    @Override
    protected KafkaSettings kafka() {
        return kafka.settings();
    }
}
