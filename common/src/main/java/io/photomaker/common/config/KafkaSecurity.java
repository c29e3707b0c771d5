package io.photomaker.common.config;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How every Kafka client of this system authenticates and encrypts: plaintext (the default, for a broker on a
 * private network), TLS ({@code SSL}, with a client certificate for mutual TLS), or SASL over TLS (SCRAM-SHA-256,
 * SCRAM-SHA-512 or PLAIN). Read from PM_KAFKA_* settings; {@link #toString()} never shows a password.
 *
 * @param protocol PLAINTEXT, SSL, SASL_SSL or SASL_PLAINTEXT (PM_KAFKA_SECURITY_PROTOCOL)
 * @param saslMechanism SCRAM-SHA-256, SCRAM-SHA-512 or PLAIN for the SASL protocols (PM_KAFKA_SASL_MECHANISM)
 * @param username SASL user (PM_KAFKA_SASL_USERNAME)
 * @param password SASL password (PM_KAFKA_SASL_PASSWORD)
 * @param truststore CA certificates to trust, PEM, PKCS12 or JKS by extension; empty = the JVM's own
 *                   (PM_KAFKA_TLS_TRUSTSTORE, PM_KAFKA_TLS_TRUSTSTORE_PASSWORD)
 * @param truststorePassword password of a PKCS12 or JKS truststore
 * @param keystore this client's certificate and key for mutual TLS (PM_KAFKA_TLS_KEYSTORE,
 *                 PM_KAFKA_TLS_KEYSTORE_PASSWORD, PM_KAFKA_TLS_KEY_PASSWORD)
 * @param keystorePassword password of a PKCS12 or JKS keystore
 * @param keyPassword password of the private key, when it has its own (an encrypted PEM key)
 * @param verifyHostname check the broker's certificate names its host (PM_KAFKA_TLS_VERIFY_HOSTNAME, true)
 */
public record KafkaSecurity(String protocol, String saslMechanism, String username, String password,
                            String truststore, String truststorePassword, String keystore, String keystorePassword,
                            String keyPassword, boolean verifyHostname) {
    private static final Set<String> PROTOCOLS = Set.of("PLAINTEXT", "SSL", "SASL_SSL", "SASL_PLAINTEXT");
    private static final Set<String> MECHANISMS = Set.of("SCRAM-SHA-256", "SCRAM-SHA-512", "PLAIN");

    /** No authentication, no encryption. */
    public static final KafkaSecurity PLAINTEXT = new KafkaSecurity("PLAINTEXT", "", "", "", "", "", "", "", "", true);

    public KafkaSecurity {
        protocol = upper(protocol);
        saslMechanism = upper(saslMechanism);
        username = blankToEmpty(username);
        password = blankToEmpty(password);
        truststore = blankToEmpty(truststore);
        truststorePassword = blankToEmpty(truststorePassword);
        keystore = blankToEmpty(keystore);
        keystorePassword = blankToEmpty(keystorePassword);
        keyPassword = blankToEmpty(keyPassword);
        if (!PROTOCOLS.contains(protocol)) {
            throw new ConfigException("PM_KAFKA_SECURITY_PROTOCOL must be one of " + PROTOCOLS + ", was " + protocol);
        }
        boolean sasl = protocol.startsWith("SASL_");
        if (sasl && !MECHANISMS.contains(saslMechanism)) {
            throw new ConfigException("PM_KAFKA_SASL_MECHANISM must be one of " + MECHANISMS + " with " + protocol
                    + ", was '" + saslMechanism + "'");
        }
        if (sasl && (username.isEmpty() || password.isEmpty())) {
            throw new ConfigException("PM_KAFKA_SASL_USERNAME and PM_KAFKA_SASL_PASSWORD are required with "
                    + protocol);
        }
        if (!sasl && !saslMechanism.isEmpty()) {
            throw new ConfigException("PM_KAFKA_SASL_MECHANISM needs PM_KAFKA_SECURITY_PROTOCOL=SASL_SSL");
        }
        boolean tls = protocol.equals("SSL") || protocol.equals("SASL_SSL");
        if (!tls && !(truststore.isEmpty() && keystore.isEmpty())) {
            throw new ConfigException("PM_KAFKA_TLS_TRUSTSTORE and PM_KAFKA_TLS_KEYSTORE need"
                    + " PM_KAFKA_SECURITY_PROTOCOL=SSL or SASL_SSL");
        }
    }

    /** Reads the PM_KAFKA_* security settings; none set means {@link #PLAINTEXT}. */
    public static KafkaSecurity from(Settings s) {
        return new KafkaSecurity(
                s.string(CommonSettings.KAFKA_SECURITY_PROTOCOL),
                s.string(CommonSettings.KAFKA_SASL_MECHANISM),
                s.string(CommonSettings.KAFKA_SASL_USERNAME),
                s.string(CommonSettings.KAFKA_SASL_PASSWORD, ""),
                s.string(CommonSettings.KAFKA_TLS_TRUSTSTORE),
                s.string(CommonSettings.KAFKA_TLS_TRUSTSTORE_PASSWORD, ""),
                s.string(CommonSettings.KAFKA_TLS_KEYSTORE),
                s.string(CommonSettings.KAFKA_TLS_KEYSTORE_PASSWORD, ""),
                s.string(CommonSettings.KAFKA_TLS_KEY_PASSWORD, ""),
                s.bool(CommonSettings.KAFKA_TLS_VERIFY_HOSTNAME));
    }

    /** The client properties (producer, consumer, admin and Streams alike) that configure this. */
    public Map<String, Object> clientProperties() {
        Map<String, Object> p = new HashMap<>();
        p.put("security.protocol", protocol);
        if (protocol.startsWith("SASL_")) {
            p.put("sasl.mechanism", saslMechanism);
            String module = saslMechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                    : "org.apache.kafka.common.security.scram.ScramLoginModule";
            p.put("sasl.jaas.config", module + " required username=\"" + jaasQuoted(username) + "\" password=\""
                    + jaasQuoted(password) + "\";");
        }
        if (protocol.equals("SSL") || protocol.equals("SASL_SSL")) {
            p.put("ssl.endpoint.identification.algorithm", verifyHostname ? "https" : "");
            if (!truststore.isEmpty()) {
                p.put("ssl.truststore.location", truststore);
                p.put("ssl.truststore.type", storeType(truststore));
                putIfSet(p, "ssl.truststore.password", truststorePassword);
            }
            if (!keystore.isEmpty()) {
                p.put("ssl.keystore.location", keystore);
                p.put("ssl.keystore.type", storeType(keystore));
                putIfSet(p, "ssl.keystore.password", keystorePassword);
                putIfSet(p, "ssl.key.password", keyPassword);
            }
        }
        return p;
    }

    /** PEM for .pem/.crt files, JKS for .jks, PKCS12 otherwise. */
    static String storeType(String path) {
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".pem") || lower.endsWith(".crt")) {
            return "PEM";
        }
        return lower.endsWith(".jks") ? "JKS" : "PKCS12";
    }

    private static String jaasQuoted(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static void putIfSet(Map<String, Object> p, String key, String value) {
        if (!value.isEmpty()) {
            p.put(key, value);
        }
    }

    private static String upper(String v) {
        return v == null ? "" : v.trim().toUpperCase(Locale.ROOT);
    }

    private static String blankToEmpty(String v) {
        return v == null ? "" : v.trim();
    }

    @Override
    public String toString() {
        return "KafkaSecurity[protocol=" + protocol + ", saslMechanism=" + saslMechanism + ", username=" + username
                + ", password=" + (password.isEmpty() ? "" : "***") + ", truststore=" + truststore + ", keystore="
                + keystore + ", verifyHostname=" + verifyHostname + "]";
    }
}
