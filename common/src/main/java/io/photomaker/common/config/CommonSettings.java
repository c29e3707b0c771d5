package io.photomaker.common.config;

import java.util.List;

/** The PM_* settings every process reads: Kafka, the object store, logging and tracing. */
public final class CommonSettings {
    /** Every setting below, in order. */
    public static final SettingRegistry REGISTRY = new SettingRegistry("common");

    public static final Setting KAFKA_BOOTSTRAP = REGISTRY.string("PM_KAFKA_BOOTSTRAP", null, "required",
            "Kafka bootstrap servers, host:port[,host:port...].");
    public static final Setting TOPIC_PARTITIONS = REGISTRY.integer("PM_TOPIC_PARTITIONS", 6, 1, 1000,
            "Partitions of the topics this system creates; the number of workers that can share the job topic.");
    public static final Setting TOPIC_REPLICATION = REGISTRY.integer("PM_TOPIC_REPLICATION", 1, 1, 10,
            "Replication factor of the topics this system creates.");
    public static final Setting KAFKA_SECURITY_PROTOCOL = REGISTRY.choice("PM_KAFKA_SECURITY_PROTOCOL",
            "PLAINTEXT", "PLAINTEXT", List.of("PLAINTEXT", "SSL", "SASL_SSL", "SASL_PLAINTEXT"),
            "Transport of every Kafka client.");
    public static final Setting KAFKA_SASL_MECHANISM = REGISTRY.string("PM_KAFKA_SASL_MECHANISM", "", "none",
            "SCRAM-SHA-512, SCRAM-SHA-256 or PLAIN, with the SASL protocols.");
    public static final Setting KAFKA_SASL_USERNAME = REGISTRY.string("PM_KAFKA_SASL_USERNAME", "", "none",
            "The Kafka client's SASL user.");
    public static final Setting KAFKA_SASL_PASSWORD = REGISTRY.secret("PM_KAFKA_SASL_PASSWORD",
            "The Kafka client's SASL password (from a Secret).");
    public static final Setting KAFKA_TLS_TRUSTSTORE = REGISTRY.string("PM_KAFKA_TLS_TRUSTSTORE", "",
            "the JVM's CAs", "CA certificates to trust: .pem/.crt (PEM), .jks, else PKCS12.");
    public static final Setting KAFKA_TLS_TRUSTSTORE_PASSWORD = REGISTRY.secret("PM_KAFKA_TLS_TRUSTSTORE_PASSWORD",
            "Password of the trust store.");
    public static final Setting KAFKA_TLS_KEYSTORE = REGISTRY.string("PM_KAFKA_TLS_KEYSTORE", "", "none",
            "This client's certificate and key, for mutual TLS (SSL).");
    public static final Setting KAFKA_TLS_KEYSTORE_PASSWORD = REGISTRY.secret("PM_KAFKA_TLS_KEYSTORE_PASSWORD",
            "Password of the key store.");
    public static final Setting KAFKA_TLS_KEY_PASSWORD = REGISTRY.secret("PM_KAFKA_TLS_KEY_PASSWORD",
            "Password of the key in the key store.");
    public static final Setting KAFKA_TLS_VERIFY_HOSTNAME = REGISTRY.bool("PM_KAFKA_TLS_VERIFY_HOSTNAME", true,
            "The broker certificate must name the broker host.");
    public static final Setting S3_ENDPOINT = REGISTRY.string("PM_S3_ENDPOINT", null, "AWS's endpoint",
            "S3 API endpoint (MinIO, S3Proxy, another provider).");
    public static final Setting S3_REGION = REGISTRY.string("PM_S3_REGION", "us-east-1", "us-east-1",
            "Signing region of the object store.");
    public static final Setting S3_BUCKET = REGISTRY.string("PM_S3_BUCKET", null, "required",
            "Bucket holding ID photos, outputs, identities and archives.");
    public static final Setting S3_ACCESS_KEY = REGISTRY.string("PM_S3_ACCESS_KEY", "", "AWS credential chain",
            "Static access key; set together with PM_S3_SECRET_KEY.");
    public static final Setting S3_SECRET_KEY = REGISTRY.secret("PM_S3_SECRET_KEY", "Static secret key.");
    public static final Setting S3_PATH_STYLE = REGISTRY.boolComputed("PM_S3_PATH_STYLE",
            "true when PM_S3_ENDPOINT is set", "Path-style bucket addressing (MinIO, S3Proxy).");
    public static final Setting LOG_FORMAT = REGISTRY.choice("PM_LOG_FORMAT", "text", "text",
            List.of("text", "json"), "json: one JSON object per log line with job, tenant and trace ids.");
    public static final Setting OTLP_ENDPOINT = REGISTRY.string("PM_OTLP_ENDPOINT", null, "tracing off",
            "OTLP/HTTP collector traces are exported to.");
    public static final Setting SERVICE_NAME = REGISTRY.string("PM_SERVICE_NAME", null, "the role's name",
            "Service name spans are reported under.");

    private CommonSettings() {
    }
}
