package io.photomaker.deploy;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Checks on the settings a container is given: every PM_* name is one the code declares for that role,
 * the required ones are set, and values fit the declared type and range (numbers, booleans, choices) and,
 * for addresses, their syntax.
 */
final class EnvironmentChecks {

    private EnvironmentChecks() {
    }

    /** Unresolved references, unknown names, missing required settings and malformed values. */
    static List<String> all(ContainerEnvironment container, KnownEnvironment known) {
        List<String> violations = new ArrayList<>(container.problems());
        violations.addAll(unknownVariables(container, known));
        violations.addAll(missingRequired(container));
        violations.addAll(malformedValues(container, known));
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

    static List<String> malformedValues(ContainerEnvironment container, KnownEnvironment known) {
        List<String> violations = new ArrayList<>();
        container.env().forEach((name, value) -> {
            if (value != null && !wellFormed(name, value.strip(), known)) {
                violations.add(container.where() + ": " + name + "=" + value + " is not a valid value");
            }
        });
        return violations;
    }

    /** Within the declared type and range, and for a few text settings their syntax. */
    private static boolean wellFormed(String name, String value, KnownEnvironment known) {
        if (!known.setting(name).map(s -> s.accepts(value)).orElse(true)) {
            return false;
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
