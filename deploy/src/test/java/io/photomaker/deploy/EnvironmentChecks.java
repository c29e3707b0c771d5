package io.photomaker.deploy;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks on the settings a container is given: every PM_* name is one the code reads for that role,
 * the required ones are set, and typed ones (numbers, booleans, choices, addresses) are well-formed.
 */
final class EnvironmentChecks {

    private static final Set<String> INTEGERS = Set.of(
            "PM_HTTP_PORT", "PM_METRICS_PORT", "PM_TOPIC_PARTITIONS", "PM_DRAIN_SECONDS", "PM_MAX_ATTEMPTS",
            "PM_CUDA_DEVICE_ID", "PM_CUDA_MEMORY_LIMIT_MB", "PM_OUTPUT_TTL_SECONDS", "PM_INPUT_RETENTION_SECONDS",
            "PM_RATE_LIMIT_PER_MINUTE", "PM_MAX_CONCURRENT_JOBS");
    private static final Set<String> BOOLEANS = Set.of("PM_S3_PATH_STYLE", "PM_DEV_MODE", "PM_WEBHOOK_ALLOW_PRIVATE");
    private static final Map<String, Set<String>> CHOICES = Map.of(
            "PM_EXECUTION_PROVIDER", Set.of("auto", "cuda", "cpu"),
            "PM_LOG_FORMAT", Set.of("json", "text"));

    private EnvironmentChecks() {
    }

    /** Unresolved references, unknown names, missing required settings and malformed values. */
    static List<String> all(ContainerEnvironment container, KnownEnvironment known) {
        List<String> violations = new ArrayList<>(container.problems());
        violations.addAll(unknownVariables(container, known));
        violations.addAll(missingRequired(container));
        violations.addAll(malformedValues(container));
        return violations;
    }

    static List<String> unknownVariables(ContainerEnvironment container, KnownEnvironment known) {
        Set<String> allowed = known.allowedFor(container.role());
        return container.env().keySet().stream()
                .filter(name -> name.startsWith("PM_") && !allowed.contains(name))
                .map(name -> container.where() + ": " + name + " is not a setting the "
                        + container.role().component() + " code reads")
                .toList();
    }

    static List<String> missingRequired(ContainerEnvironment container) {
        List<String> violations = new ArrayList<>();
        for (String name : container.role().requiredEnv()) {
            boolean set = container.env().containsKey(name)
                    && (container.env().get(name) == null || !container.env().get(name).isBlank());
            if (!set) {
                violations.add(container.where() + ": required setting " + name + " is not set");
            }
        }
        return violations;
    }

    static List<String> malformedValues(ContainerEnvironment container) {
        List<String> violations = new ArrayList<>();
        container.env().forEach((name, value) -> {
            if (value != null && !wellFormed(name, value.strip())) {
                violations.add(container.where() + ": " + name + "=" + value + " is not a valid value");
            }
        });
        return violations;
    }

    private static boolean wellFormed(String name, String value) {
        if (INTEGERS.contains(name)) {
            return value.matches("\\d+");
        }
        if (BOOLEANS.contains(name)) {
            return value.equals("true") || value.equals("false");
        }
        if (CHOICES.containsKey(name)) {
            return CHOICES.get(name).contains(value);
        }
        return switch (name) {
            case "PM_KAFKA_BOOTSTRAP" -> value.matches("[A-Za-z0-9.-]+:\\d+(,[A-Za-z0-9.-]+:\\d+)*");
            case "PM_S3_ENDPOINT", "PM_OTLP_ENDPOINT" -> value.isEmpty() || isHttpUri(value);
            default -> true;
        };
    }

    private static boolean isHttpUri(String value) {
        try {
            URI uri = URI.create(value);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
