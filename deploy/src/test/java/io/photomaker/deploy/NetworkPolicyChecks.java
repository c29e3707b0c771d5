package io.photomaker.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Checks on who can reach what in rendered manifests: Kafka's client ports only from the gateway and worker pods
 * (plus the cluster's own pods and the namespaces of operators that need it), the gateway's management port
 * exposed by no Service and open only to a selected namespace.
 */
final class NetworkPolicyChecks {
    /** Our pods: the gateway and every worker fleet ({@code worker}, {@code worker-v2}, ...). */
    static boolean ourComponent(String component) {
        return component.equals("gateway") || component.equals("worker") || component.startsWith("worker-");
    }
    /** Namespaces of operators allowed onto Kafka's client ports besides our pods (KEDA reads consumer lag). */
    static final Set<String> OPERATOR_NAMESPACES = Set.of("keda", "strimzi");
    private static final Set<Integer> KAFKA_CLIENT_PORTS = Set.of(9092, 9093);

    private NetworkPolicyChecks() {
    }

    /** Some policy selects the Kafka cluster's pods for Ingress, and no rule opens a client port to other pods. */
    static List<String> onlyOurPodsReachKafka(Manifests manifests) {
        List<String> violations = new ArrayList<>();
        Optional<String> cluster = kafkaCluster(manifests);
        if (cluster.isEmpty()) {
            return List.of("no KafkaTopic names its Strimzi cluster");
        }
        List<ObjectNode> guarding = manifests.ofKind("NetworkPolicy").stream()
                .filter(p -> cluster.get().equals(p.at("/spec/podSelector/matchLabels").path("strimzi.io/cluster")
                        .asText()))
                .filter(p -> p.at("/spec/policyTypes").toString().contains("Ingress"))
                .toList();
        if (guarding.isEmpty()) {
            violations.add("no NetworkPolicy limits ingress to the pods of Kafka cluster " + cluster.get());
        }
        for (ObjectNode policy : guarding) {
            for (JsonNode rule : policy.at("/spec/ingress")) {
                if (!opensClientPort(rule)) {
                    continue;
                }
                if (!rule.has("from") || rule.path("from").isEmpty()) {
                    violations.add(name(policy) + ": an ingress rule opens Kafka's client ports to every pod");
                }
                for (JsonNode peer : rule.path("from")) {
                    allowedPeer(peer, cluster.get()).ifPresent(v -> violations.add(name(policy) + ": " + v));
                }
            }
        }
        return violations;
    }

    /** No Service routes to the gateway's management port, and a policy opens that port to selected peers only. */
    static List<String> managementPortStaysPrivate(Manifests manifests) {
        List<String> violations = new ArrayList<>();
        for (ObjectNode service : manifests.ofKind("Service")) {
            if (!"gateway".equals(service.at("/spec/selector").path("app.kubernetes.io/component").asText())) {
                continue;
            }
            for (JsonNode port : service.at("/spec/ports")) {
                String target = port.path("targetPort").asText();
                if (target.equals("management") || target.equals("9090")) {
                    violations.add(name(service) + ": exposes the gateway's management port");
                }
            }
        }
        boolean guarded = false;
        for (ObjectNode policy : manifests.ofKind("NetworkPolicy")) {
            if (!"gateway".equals(policy.at("/spec/podSelector/matchLabels").path("app.kubernetes.io/component")
                    .asText())) {
                continue;
            }
            for (JsonNode rule : policy.at("/spec/ingress")) {
                boolean management = rule.path("ports").toString().contains("management");
                if (management) {
                    guarded = true;
                    if (rule.path("from").isEmpty()) {
                        violations.add(name(policy) + ": opens the management port to every pod");
                    }
                }
            }
        }
        if (!guarded) {
            violations.add("no NetworkPolicy limits who reaches the gateway's management port");
        }
        return violations;
    }

    private static Optional<String> allowedPeer(JsonNode peer, String cluster) {
        Map<String, String> pod = labels(peer.path("podSelector"));
        Map<String, String> namespace = labels(peer.path("namespaceSelector"));
        if (peer.has("ipBlock")) {
            return Optional.of("an ipBlock may reach Kafka");
        }
        if (!namespace.isEmpty()) {
            String ns = namespace.getOrDefault("kubernetes.io/metadata.name", "");
            return OPERATOR_NAMESPACES.contains(ns) && pod.isEmpty() ? Optional.empty()
                    : Optional.of("namespace " + namespace + " may reach Kafka");
        }
        if (peer.has("namespaceSelector")) {
            return Optional.of("every namespace may reach Kafka");
        }
        if (cluster.equals(pod.get("strimzi.io/cluster"))) {
            return Optional.empty();
        }
        List<String> components = components(peer.path("podSelector"), pod);
        boolean ours = "photomaker".equals(pod.get("app.kubernetes.io/name")) && !components.isEmpty()
                && components.stream().allMatch(NetworkPolicyChecks::ourComponent);
        return ours ? Optional.empty() : Optional.of("pods " + pod + " " + components + " may reach Kafka");
    }

    /** The components a pod selector admits: its component label, or the values of an {@code In} expression. */
    private static List<String> components(JsonNode selector, Map<String, String> labels) {
        List<String> out = new ArrayList<>();
        if (labels.containsKey("app.kubernetes.io/component")) {
            out.add(labels.get("app.kubernetes.io/component"));
        }
        for (JsonNode e : selector.path("matchExpressions")) {
            if (!e.path("key").asText().equals("app.kubernetes.io/component")) {
                continue;
            }
            if (!e.path("operator").asText().equals("In")) {
                return List.of("(" + e.path("operator").asText() + " expression)");
            }
            e.path("values").forEach(v -> out.add(v.asText()));
        }
        return out;
    }

    private static boolean opensClientPort(JsonNode rule) {
        if (!rule.has("ports")) {
            return true;
        }
        for (JsonNode port : rule.path("ports")) {
            if (KAFKA_CLIENT_PORTS.contains(port.path("port").asInt(-1))) {
                return true;
            }
        }
        return false;
    }

    private static Optional<String> kafkaCluster(Manifests manifests) {
        return manifests.ofKind("KafkaTopic").stream()
                .map(t -> t.at("/metadata/labels").path("strimzi.io/cluster").asText(""))
                .filter(c -> !c.isEmpty()).findFirst();
    }

    private static Map<String, String> labels(JsonNode selector) {
        Map<String, String> out = new java.util.TreeMap<>();
        selector.path("matchLabels").fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    private static String name(JsonNode resource) {
        return resource.path("kind").asText() + "/" + resource.at("/metadata/name").asText();
    }
}
