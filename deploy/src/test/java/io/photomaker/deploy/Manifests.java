package io.photomaker.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A rendered set of Kubernetes resources, plus the Secrets supplied out of band (the secret
 * template), with the lookups the checks need.
 */
final class Manifests {

    static final String SECRET_TEMPLATE = "deploy/k8s/base/secret.template.yaml";

    private final String label;
    private final List<ObjectNode> resources;
    private final List<ObjectNode> outOfBand;

    Manifests(String label, List<ObjectNode> resources, List<ObjectNode> outOfBand) {
        this.label = label;
        this.resources = List.copyOf(resources);
        this.outOfBand = List.copyOf(outOfBand);
    }

    /** A kustomization (base or overlay) rendered, with the secret template as its Secrets. */
    static Manifests render(String relativeDir) {
        return new Manifests(relativeDir, Kustomization.render(RepoLayout.path(relativeDir)), secretTemplate());
    }

    /** Resources from YAML text (for tests that feed broken snippets), with the real secret template. */
    static Manifests fromYaml(String label, String yaml) {
        return new Manifests(label, YamlDocs.resources(yaml), secretTemplate());
    }

    static List<ObjectNode> secretTemplate() {
        return YamlDocs.resources(RepoLayout.read(RepoLayout.path(SECRET_TEMPLATE)));
    }

    String label() {
        return label;
    }

    List<ObjectNode> resources() {
        return resources;
    }

    List<ObjectNode> ofKind(String kind) {
        return resources.stream().filter(r -> kind.equals(r.path("kind").asText())).toList();
    }

    Optional<ObjectNode> find(String kind, String name) {
        return ofKind(kind).stream().filter(r -> name.equals(YamlDocs.text(r, "metadata", "name"))).findFirst();
    }

    List<PodContainer> containers() {
        return PodContainer.of(resources);
    }

    /** The containers of the workload (Deployment or StatefulSet) named {@code workload}. */
    List<PodContainer> containersOf(String workload) {
        return containers().stream().filter(c -> c.workload().equals("Deployment/" + workload)
                || c.workload().equals("StatefulSet/" + workload)).toList();
    }

    /** Every container with the environment it gets (env, envFrom, key references resolved). */
    List<ConfiguredContainer> configured() {
        Map<String, Map<String, String>> configMaps = dataOf("ConfigMap", resources);
        List<ObjectNode> allSecrets = new ArrayList<>(resources);
        allSecrets.addAll(outOfBand);
        Map<String, Map<String, String>> secrets = dataOf("Secret", allSecrets);
        return containers().stream()
                .map(c -> new ConfiguredContainer(c, ContainerEnvironment.of(c, configMaps, secrets)))
                .toList();
    }

    /** The non-init containers running our image of this role. */
    List<ConfiguredContainer> mainContainers(Role role) {
        return configured().stream().filter(c -> !c.container().init() && c.role() == role).toList();
    }

    /** Partitions of a topic per its Strimzi KafkaTopic (spec.topicName, else metadata.name). */
    Optional<Integer> partitionsOf(String topic) {
        return ofKind("KafkaTopic").stream()
                .filter(t -> topic.equals(topicName(t)))
                .map(t -> t.path("spec").path("partitions").asInt(-1))
                .findFirst();
    }

    static String topicName(JsonNode kafkaTopic) {
        String name = YamlDocs.text(kafkaTopic, "spec", "topicName");
        return name.isEmpty() ? YamlDocs.text(kafkaTopic, "metadata", "name") : name;
    }

    private static Map<String, Map<String, String>> dataOf(String kind, List<ObjectNode> from) {
        Map<String, Map<String, String>> result = new HashMap<>();
        for (ObjectNode resource : from) {
            if (!kind.equals(resource.path("kind").asText())) {
                continue;
            }
            Map<String, String> data = new HashMap<>();
            boolean base64 = kind.equals("Secret");
            resource.path("data").fields().forEachRemaining(e -> data.put(e.getKey(),
                    base64 ? new String(Base64.getDecoder().decode(e.getValue().asText()), StandardCharsets.UTF_8)
                            : e.getValue().asText()));
            resource.path("stringData").fields().forEachRemaining(e -> data.put(e.getKey(), e.getValue().asText()));
            result.put(YamlDocs.text(resource, "metadata", "name"), data);
        }
        return result;
    }

    @Override
    public String toString() {
        return label;
    }
}
