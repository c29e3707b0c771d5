package io.photomaker.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One container (or init container) of a workload's pod template in rendered manifests.
 *
 * @param workload "Deployment/photomaker-worker"
 * @param podSpec the pod template's spec
 * @param container the container entry
 * @param init whether it is an init container
 */
record PodContainer(String workload, JsonNode podSpec, JsonNode container, boolean init) {

    private static final Set<String> POD_TEMPLATE_KINDS = Set.of("Deployment", "StatefulSet", "DaemonSet", "Job");

    static List<PodContainer> of(List<? extends JsonNode> resources) {
        List<PodContainer> result = new ArrayList<>();
        for (JsonNode resource : resources) {
            if (!POD_TEMPLATE_KINDS.contains(resource.path("kind").asText())) {
                continue;
            }
            String workload = resource.path("kind").asText() + "/" + YamlDocs.text(resource, "metadata", "name");
            JsonNode podSpec = YamlDocs.at(resource, "spec", "template", "spec");
            podSpec.path("initContainers").forEach(c -> result.add(new PodContainer(workload, podSpec, c, true)));
            podSpec.path("containers").forEach(c -> result.add(new PodContainer(workload, podSpec, c, false)));
        }
        return result;
    }

    String name() {
        return container.path("name").asText();
    }

    String where() {
        return workload + (init ? " init container " : " container ") + name();
    }

    ImageRef image() {
        return ImageRef.parse(container.path("image").asText());
    }

    Role role() {
        return Role.of(image());
    }

    /** The containerPort a probe's or service's port (number or name) refers to, if the container declares it. */
    Optional<Integer> resolvePort(JsonNode port) {
        for (JsonNode declared : container.path("ports")) {
            int number = declared.path("containerPort").asInt(-1);
            boolean byName = port.isTextual() && port.asText().equals(declared.path("name").asText());
            boolean byNumber = port.canConvertToInt() && port.asInt() == number;
            if (byName || byNumber) {
                return Optional.of(number);
            }
        }
        return Optional.empty();
    }

    /** The first of the container's args, "" when it is given none. */
    String firstArgument() {
        JsonNode args = container.path("args");
        return args.isArray() && !args.isEmpty() ? args.get(0).asText() : "";
    }

    int terminationGracePeriodSeconds() {
        return podSpec.path("terminationGracePeriodSeconds").asInt(30);
    }
}
