package io.photomaker.testkit.infra;

import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.kafka.KafkaClients;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) running inside this JVM,
 * for tests and dev mode. The system's topics are created on start.
 */
public final class EmbeddedKafka implements AutoCloseable {
    private final KafkaClusterTestKit cluster;
    private final KafkaSettings settings;

    private EmbeddedKafka(KafkaClusterTestKit cluster, int partitions) {
        this.cluster = cluster;
        this.settings = new KafkaSettings(cluster.bootstrapServers(), partitions, (short) 1);
    }

    /** Starts a broker with {@code partitions} partitions per topic and creates the topics. */
    public static EmbeddedKafka start(int partitions) {
        return start(partitions, null);
    }

    /** As {@link #start(int)}, keeping the log directories under {@code baseDir} when it is not null. */
    public static EmbeddedKafka start(int partitions, Path baseDir) {
        return start(partitions, baseDir, Map.of());
    }

    /** As above, with broker settings that replace the test defaults (e.g. a production-like rebalance delay). */
    public static EmbeddedKafka start(int partitions, Path baseDir, Map<String, Object> brokerOverrides) {
        KafkaClusterTestKit cluster = null;
        try {
            TestKitNodes.Builder nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1);
            if (baseDir != null) {
                nodes.setBaseDirectory(baseDir);
            }
            KafkaClusterTestKit.Builder b = new KafkaClusterTestKit.Builder(nodes.build());
            brokerDefaults(partitions).forEach(b::setConfigProp);
            brokerOverrides.forEach(b::setConfigProp);
            cluster = b.build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            EmbeddedKafka kafka = new EmbeddedKafka(cluster, partitions);
            KafkaClients.ensureTopics(kafka.settings);
            return kafka;
        } catch (Exception e) {
            closeQuietly(cluster);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("embedded Kafka did not start: " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> brokerDefaults(int partitions) {
        return Map.of(
                "num.partitions", partitions,
                "offsets.topic.replication.factor", (short) 1,
                "offsets.topic.num.partitions", 4,
                "transaction.state.log.replication.factor", (short) 1,
                "transaction.state.log.min.isr", 1,
                "transaction.state.log.num.partitions", 4,
                "group.initial.rebalance.delay.ms", 0,
                "auto.create.topics.enable", false,
                "log.cleaner.backoff.ms", 1000);
    }

    public KafkaSettings settings() {
        return settings;
    }

    public String bootstrapServers() {
        return settings.bootstrapServers();
    }

    @Override
    public void close() {
        closeQuietly(cluster);
    }

    private static void closeQuietly(KafkaClusterTestKit c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // shutting down: nothing left to do with a broker that fails to stop
        }
    }
}
