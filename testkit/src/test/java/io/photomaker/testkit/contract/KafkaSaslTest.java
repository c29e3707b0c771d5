package io.photomaker.testkit.contract;

import io.photomaker.common.config.KafkaSecurity;
import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.kafka.JobProducer;
import io.photomaker.common.kafka.KafkaClients;
import io.photomaker.common.kafka.Topics;
import io.photomaker.testkit.kafka.TopicReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.apache.kafka.common.test.JaasUtils;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The system's Kafka clients against a real broker that requires SASL: a SCRAM-SHA-256 user created through the
 * broker's admin API, configured only through {@link KafkaSecurity} as PM_KAFKA_* settings would, produces and
 * reads; a wrong password is refused by the broker.
 */
class KafkaSaslTest {
    private static final String USER = "pm-gateway";
    private static final String PASSWORD = "pm-gateway-scram-secret";
    private static KafkaClusterTestKit cluster;

    @BeforeAll
    static void start() throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1)
                .setNumControllerNodes(1).setBrokerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT)
                .setControllerSecurityProtocol(SecurityProtocol.SASL_PLAINTEXT).build();
        String listener = nodes.brokerListenerName().value().toLowerCase();
        cluster = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256")
                .setConfigProp("listener.name." + listener + ".scram-sha-256.sasl.jaas.config",
                        "org.apache.kafka.common.security.scram.ScramLoginModule required;")
                .setConfigProp("offsets.topic.replication.factor", (short) 1)
                .setConfigProp("transaction.state.log.replication.factor", (short) 1)
                .setConfigProp("transaction.state.log.min.isr", 1)
                .setConfigProp("group.initial.rebalance.delay.ms", 0)
                .build();
        cluster.format();
        cluster.startup();
        cluster.waitForReadyBrokers();
        KafkaSettings admin = settings(new KafkaSecurity("SASL_PLAINTEXT", "PLAIN", JaasUtils.KAFKA_PLAIN_ADMIN,
                JaasUtils.KAFKA_PLAIN_ADMIN_PASSWORD, "", "", "", "", "", true));
        try (Admin a = Admin.create(KafkaClients.admin(admin))) {
            a.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(USER,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_256, 4096), PASSWORD))).all()
                    .get(30, TimeUnit.SECONDS);
            // The broker authorizes as production brokers do: the service user gets what the system needs.
            List<AclBinding> grants = new java.util.ArrayList<>();
            for (ResourceType type : List.of(ResourceType.TOPIC, ResourceType.GROUP, ResourceType.TRANSACTIONAL_ID)) {
                grants.add(grant(new ResourcePattern(type, "*", PatternType.LITERAL)));
            }
            grants.add(grant(new ResourcePattern(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL)));
            a.createAcls(grants).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static AclBinding grant(ResourcePattern pattern) {
        return new AclBinding(pattern, new AccessControlEntry("User:" + USER, "*", AclOperation.ALL,
                AclPermissionType.ALLOW));
    }

    @AfterAll
    static void stop() throws Exception {
        cluster.close();
    }

    private static KafkaSettings settings(KafkaSecurity security) {
        return new KafkaSettings(cluster.bootstrapServers(), 1, (short) 1, security);
    }

    private static KafkaSecurity scram(String password) {
        return new KafkaSecurity("SASL_PLAINTEXT", "SCRAM-SHA-256", USER, password, "", "", "", "", "", true);
    }

    @Test
    void a_scram_user_configured_through_the_settings_creates_topics_produces_and_reads() throws Exception {
        KafkaSettings kafka = settings(scram(PASSWORD));
        KafkaClients.ensureTopics(kafka);
        try (JobProducer producer = new JobProducer(kafka, "sasl-test")) {
            producer.send(new ProducerRecord<>(Topics.DLQ, "k", "hello".getBytes(StandardCharsets.UTF_8)))
                    .get(30, TimeUnit.SECONDS);
        }
        List<String> got = new ArrayList<>();
        try (TopicReader reader = TopicReader.fromBeginning(kafka, Topics.DLQ, "sasl-reader")) {
            reader.readUntil("the record sent over SASL", Duration.ofSeconds(30),
                    r -> got.add(new String(r.value(), StandardCharsets.UTF_8)), () -> !got.isEmpty());
        }
        assertEquals(List.of("hello"), got);
    }

    @Test
    void a_wrong_password_is_refused_by_the_broker() {
        try (JobProducer producer = new JobProducer(settings(scram("not-the-password")), "sasl-wrong")) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> producer.send(
                    new ProducerRecord<>(Topics.DLQ, "k", new byte[1])).get(30, TimeUnit.SECONDS));
            assertInstanceOf(SaslAuthenticationException.class, e.getCause(), e.toString());
        }
    }
}
