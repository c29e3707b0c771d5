package io.photomaker.common.config;

/**
 * Where Kafka is and how the topics are laid out.
 *
 * @param bootstrapServers comma-separated host:port list (PM_KAFKA_BOOTSTRAP)
 * @param partitions partitions for topics this system creates (PM_TOPIC_PARTITIONS)
 * @param replicationFactor replication for created topics (PM_TOPIC_REPLICATION)
 */
public record KafkaSettings(String bootstrapServers, int partitions, short replicationFactor) {
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
    }

    public static KafkaSettings from(Settings s) {
        return new KafkaSettings(
                s.required("PM_KAFKA_BOOTSTRAP"),
                s.integer("PM_TOPIC_PARTITIONS", 6, 1, 1000),
                (short) s.integer("PM_TOPIC_REPLICATION", 1, 1, 10));
    }
}
