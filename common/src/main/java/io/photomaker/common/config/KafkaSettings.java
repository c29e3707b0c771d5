package io.photomaker.common.config;

/**
 * Where Kafka is, how the topics are laid out, and how clients authenticate.
 *
 * @param bootstrapServers comma-separated host:port list (PM_KAFKA_BOOTSTRAP)
 * @param partitions partitions for topics this system creates (PM_TOPIC_PARTITIONS)
 * @param replicationFactor replication for created topics (PM_TOPIC_REPLICATION)
 * @param security TLS and SASL of every client (PM_KAFKA_SECURITY_PROTOCOL and friends)
 */
public record KafkaSettings(String bootstrapServers, int partitions, short replicationFactor, KafkaSecurity security) {
    public KafkaSettings {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new ConfigException("PM_KAFKA_BOOTSTRAP is required");
        }
        if (partitions < 1 || partitions > 1000) {
            throw new ConfigException("PM_TOPIC_PARTITIONS must be in 1..1000, was " + partitions);
        }
        if (replicationFactor < 1) {
            throw new ConfigException("PM_TOPIC_REPLICATION must be at least 1");
        }
        security = security == null ? KafkaSecurity.PLAINTEXT : security;
    }

    /** A plaintext connection (embedded brokers, private networks). */
    public KafkaSettings(String bootstrapServers, int partitions, short replicationFactor) {
        this(bootstrapServers, partitions, replicationFactor, KafkaSecurity.PLAINTEXT);
    }

    public static KafkaSettings from(Settings s) {
        return new KafkaSettings(
                s.required(CommonSettings.KAFKA_BOOTSTRAP),
                s.integer(CommonSettings.TOPIC_PARTITIONS),
                (short) s.integer(CommonSettings.TOPIC_REPLICATION),
                KafkaSecurity.from(s));
    }
}
