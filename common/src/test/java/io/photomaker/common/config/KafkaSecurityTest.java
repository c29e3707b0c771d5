package io.photomaker.common.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.photomaker.common.kafka.KafkaClients;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The PM_KAFKA_* security settings as Kafka client properties (a real SASL broker: testkit's KafkaSaslTest). */
class KafkaSecurityTest {
    private static KafkaSettings kafka(Map<String, String> more) {
        Map<String, String> all = new java.util.HashMap<>(more);
        all.put("PM_KAFKA_BOOTSTRAP", "kafka-0.kafka:9093");
        return KafkaSettings.from(Settings.of(all));
    }

    @Test
    void without_settings_clients_speak_plaintext() {
        KafkaSettings k = kafka(Map.of());
        assertEquals(KafkaSecurity.PLAINTEXT, k.security());
        assertEquals("PLAINTEXT", KafkaClients.producer(k, "p").get("security.protocol"));
    }

    @Test
    void scram_over_tls_sets_mechanism_login_and_truststore_on_every_client() {
        KafkaSettings k = kafka(Map.of(
                "PM_KAFKA_SECURITY_PROTOCOL", "sasl_ssl",
                "PM_KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "PM_KAFKA_SASL_USERNAME", "photomaker-gateway",
                "PM_KAFKA_SASL_PASSWORD", "pa\"ss\\word",
                "PM_KAFKA_TLS_TRUSTSTORE", "/etc/kafka-tls/ca.crt"));
        for (Map<?, ?> p : new Map<?, ?>[] {KafkaClients.producer(k, "p"), KafkaClients.readerConsumer(k, "c"),
            KafkaClients.groupConsumer(k, "g", "c"), KafkaClients.admin(k)}) {
            assertEquals("SASL_SSL", p.get("security.protocol"));
            assertEquals("SCRAM-SHA-512", p.get("sasl.mechanism"));
            assertEquals("org.apache.kafka.common.security.scram.ScramLoginModule required"
                    + " username=\"photomaker-gateway\" password=\"pa\\\"ss\\\\word\";", p.get("sasl.jaas.config"));
            assertEquals("/etc/kafka-tls/ca.crt", p.get("ssl.truststore.location"));
            assertEquals("PEM", p.get("ssl.truststore.type"));
            assertEquals("https", p.get("ssl.endpoint.identification.algorithm"));
        }
        assertFalse(k.security().toString().contains("ss\\word"), "no password in " + k.security());
    }

    @Test
    void mutual_tls_presents_the_client_keystore() {
        Map<String, Object> p = kafka(Map.of(
                "PM_KAFKA_SECURITY_PROTOCOL", "SSL",
                "PM_KAFKA_TLS_TRUSTSTORE", "/tls/truststore.jks",
                "PM_KAFKA_TLS_TRUSTSTORE_PASSWORD", "changeit",
                "PM_KAFKA_TLS_KEYSTORE", "/tls/gateway.p12",
                "PM_KAFKA_TLS_KEYSTORE_PASSWORD", "secret")).security().clientProperties();
        assertEquals("SSL", p.get("security.protocol"));
        assertEquals("JKS", p.get("ssl.truststore.type"));
        assertEquals("/tls/gateway.p12", p.get("ssl.keystore.location"));
        assertEquals("PKCS12", p.get("ssl.keystore.type"));
        assertEquals("secret", p.get("ssl.keystore.password"));
        assertFalse(p.containsKey("sasl.mechanism"));
    }

    @Test
    void inconsistent_settings_are_refused_with_the_setting_named() {
        for (Map<String, String> bad : new Map[] {
            Map.of("PM_KAFKA_SECURITY_PROTOCOL", "TLS"),
            Map.of("PM_KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "PM_KAFKA_SASL_MECHANISM", "SCRAM-SHA-256"),
            Map.of("PM_KAFKA_SECURITY_PROTOCOL", "SASL_SSL", "PM_KAFKA_SASL_MECHANISM", "GSSAPI",
                    "PM_KAFKA_SASL_USERNAME", "u", "PM_KAFKA_SASL_PASSWORD", "p"),
            Map.of("PM_KAFKA_TLS_KEYSTORE", "/tls/k.p12")}) {
            ConfigException e = assertThrows(ConfigException.class, () -> kafka(bad));
            assertTrue(e.getMessage().contains("PM_KAFKA_"), e.getMessage());
        }
    }
}
