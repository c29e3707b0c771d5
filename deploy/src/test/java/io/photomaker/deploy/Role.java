package io.photomaker.deploy;

import java.util.List;

/** What a container runs, decided by its image: our gateway, our worker, or something else. */
enum Role {
    GATEWAY("PM_HTTP_PORT", "PM_MANAGEMENT_PORT", List.of("PM_KAFKA_BOOTSTRAP", "PM_S3_ENDPOINT", "PM_S3_BUCKET")),
    WORKER("PM_METRICS_PORT", "PM_METRICS_PORT", List.of("PM_KAFKA_BOOTSTRAP", "PM_S3_ENDPOINT", "PM_S3_BUCKET", "PM_MODELS_DIR")),
    OTHER("", "", List.of());

    private final String portVariable;
    private final String managementPortVariable;

    /** The class the role's image starts. */
    String mainClass() {
        return switch (this) {
            case GATEWAY -> "io.photomaker.gateway.GatewayMain";
            case WORKER -> "io.photomaker.worker.WorkerMain";
            case OTHER -> "";
        };
    }

    /** The runnable jar its module's package phase builds; its runtime class path is in lib/ beside it. */
    String artifactJar() {
        return component() + "/target/photomaker-" + component() + ".jar";
    }

    String artifactLib() {
        return component() + "/target/lib";
    }
    private final List<String> requiredEnv;

    Role(String portVariable, String managementPortVariable, List<String> requiredEnv) {
        this.portVariable = portVariable;
        this.managementPortVariable = managementPortVariable;
        this.requiredEnv = requiredEnv;
    }

    static Role of(ImageRef image) {
        return image.ownComponent().map(Role::ofComponent).orElse(OTHER);
    }

    static Role ofComponent(String component) {
        return switch (component) {
            case "gateway" -> GATEWAY;
            case "worker" -> WORKER;
            default -> OTHER;
        };
    }

    /** Settings the process refuses to start without. */
    List<String> requiredEnv() {
        return requiredEnv;
    }

    /** The setting holding the port the process serves its main traffic on ("" for others). */
    String portVariable() {
        return portVariable;
    }

    /**
     * The setting holding the port that serves /healthz, /readyz and /metrics ("" for others): the gateway's
     * management port, which its public Service does not expose; the worker's one port.
     */
    String managementPortVariable() {
        return managementPortVariable;
    }

    /** The module, image name and Dockerfile suffix of this role. */
    String component() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
