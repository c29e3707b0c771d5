package io.photomaker.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The environment a container is given, whatever the source (Kubernetes env/envFrom, compose
 * environment/env_file, Dockerfile ENV): the input of the environment checks.
 *
 * @param where a human-readable location for messages
 * @param role what the container runs
 * @param env variable name to value; the value is null when only known at run time (fieldRef, ...)
 * @param problems references that do not resolve (a missing ConfigMap, Secret or key)
 */
record ContainerEnvironment(String where, Role role, Map<String, String> env, List<String> problems) {

    /** Resolves a Kubernetes container's env and envFrom against the ConfigMaps and Secrets given. */
    static ContainerEnvironment of(PodContainer container, Map<String, Map<String, String>> configMaps,
                                   Map<String, Map<String, String>> secrets) {
        Map<String, String> env = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (JsonNode from : container.container().path("envFrom")) {
            String prefix = from.path("prefix").asText("");
            boolean isSecret = from.has("secretRef");
            JsonNode ref = isSecret ? from.get("secretRef") : from.path("configMapRef");
            Optional<Map<String, String>> data = lookup(isSecret ? secrets : configMaps, ref.path("name").asText());
            if (data.isEmpty()) {
                if (!ref.path("optional").asBoolean(false)) {
                    problems.add(container.where() + ": envFrom " + (isSecret ? "Secret " : "ConfigMap ")
                            + ref.path("name").asText() + " does not exist");
                }
                continue;
            }
            data.get().forEach((key, value) -> env.put(prefix + key, value));
        }
        for (JsonNode entry : container.container().path("env")) {
            env.put(entry.path("name").asText(), valueOf(container, entry, configMaps, secrets, problems));
        }
        return new ContainerEnvironment(container.where(), container.role(), env, problems);
    }

    private static String valueOf(PodContainer container, JsonNode entry, Map<String, Map<String, String>> configMaps,
                                  Map<String, Map<String, String>> secrets, List<String> problems) {
        if (entry.has("value")) {
            return entry.get("value").asText();
        }
        JsonNode from = entry.path("valueFrom");
        boolean isSecret = from.has("secretKeyRef");
        JsonNode ref = isSecret ? from.get("secretKeyRef") : from.path("configMapKeyRef");
        if (ref.isMissingNode()) {
            return null;
        }
        String name = ref.path("name").asText();
        String key = ref.path("key").asText();
        Optional<String> value = lookup(isSecret ? secrets : configMaps, name).map(data -> data.get(key));
        if (value.isEmpty() && !ref.path("optional").asBoolean(false)) {
            problems.add(container.where() + ": env " + entry.path("name").asText() + " refers to "
                    + (isSecret ? "Secret " : "ConfigMap ") + name + " key " + key + ", which does not exist");
        }
        return value.orElse(null);
    }

    private static Optional<Map<String, String>> lookup(Map<String, Map<String, String>> sources, String name) {
        return Optional.ofNullable(sources.get(name));
    }

    /** A value as an integer, if the variable is set to one. */
    Optional<Integer> intValue(String name) {
        String value = env.get(name);
        try {
            return value == null ? Optional.empty() : Optional.of(Integer.parseInt(value.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
