package io.photomaker.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks on autoscaling: the KEDA ScaledObject that scales workers on consumer lag, and the gateway's
 * CPU HorizontalPodAutoscaler.
 */
final class ScalingChecks {

    static final String JOBS_TOPIC = "photomaker.jobs";
    static final String CONSUMER_GROUP = "photomaker-workers";
    /** The model a worker serves when its PM_MODEL says nothing. */
    static final String DEFAULT_MODEL = "photomaker-v1";
    private static final List<String> REQUIRED_TRIGGER_FIELDS = List.of(
            "bootstrapServers", "consumerGroup", "topic", "lagThreshold", "activationLagThreshold", "offsetResetPolicy");

    private ScalingChecks() {
    }

    /**
     * Workers are scaled by KEDA on their model's work queue lag (photomaker.jobs in group photomaker-workers
     * for photomaker-v1, photomaker.jobs.MODEL in group photomaker-workers.MODEL otherwise; the model is the
     * workers' PM_MODEL), between a warm minimum and the partition count.
     */
    static List<String> kedaScalesWorkersOnLag(Manifests manifests) {
        List<String> violations = new ArrayList<>();
        List<ObjectNode> scaledObjects = manifests.ofKind("ScaledObject");
        if (scaledObjects.isEmpty()) {
            return List.of(manifests + ": no KEDA ScaledObject");
        }
        for (ObjectNode scaled : scaledObjects) {
            String where = "ScaledObject/" + YamlDocs.text(scaled, "metadata", "name");
            JsonNode spec = scaled.path("spec");
            int min = spec.path("minReplicaCount").asInt(0);
            int max = spec.path("maxReplicaCount").asInt(100);
            if (min < 1) {
                violations.add(where + ": minReplicaCount " + min + " leaves no warm worker (model load is slow)");
            }
            if (max < min) {
                violations.add(where + ": maxReplicaCount " + max + " < minReplicaCount " + min);
            }
            String target = YamlDocs.text(spec, "scaleTargetRef", "name");
            List<ConfiguredContainer> workers = manifests.mainContainers(Role.WORKER).stream()
                    .filter(w -> w.container().workload().equals("Deployment/" + target)).toList();
            if (workers.isEmpty()) {
                violations.add(where + ": scaleTargetRef " + target + " is not a worker Deployment");
            }
            violations.addAll(replicasLeftToAutoscaler(manifests, target, where));
            JsonNode triggers = spec.path("triggers");
            if (triggers.isEmpty()) {
                violations.add(where + ": no triggers");
            }
            for (JsonNode trigger : triggers) {
                violations.addAll(checkKafkaTrigger(manifests, where, trigger, max, workers));
            }
        }
        return violations;
    }

    private static List<String> checkKafkaTrigger(Manifests manifests, String where, JsonNode trigger, int max,
                                                  List<ConfiguredContainer> workers) {
        if (!"kafka".equals(trigger.path("type").asText())) {
            return List.of(where + ": trigger type " + trigger.path("type").asText() + " is not kafka");
        }
        JsonNode metadata = trigger.path("metadata");
        List<String> violations = new ArrayList<>();
        REQUIRED_TRIGGER_FIELDS.stream().filter(f -> metadata.path(f).asText("").isBlank())
                .forEach(f -> violations.add(where + ": kafka trigger lacks " + f));
        String topic = metadata.path("topic").asText();
        List<String> models = workers.stream().map(w -> w.setting("PM_MODEL").orElse(DEFAULT_MODEL)).distinct().toList();
        if (models.size() > 1) {
            violations.add(where + ": scales workers of several models " + models);
        }
        String model = models.isEmpty() ? DEFAULT_MODEL : models.get(0);
        String expectedTopic = perModel(JOBS_TOPIC, model);
        String expectedGroup = perModel(CONSUMER_GROUP, model);
        if (!expectedTopic.equals(topic) || !expectedGroup.equals(metadata.path("consumerGroup").asText())) {
            violations.add(where + ": " + model + " workers must scale on group " + expectedGroup + " / topic "
                    + expectedTopic + ", found " + metadata.path("consumerGroup").asText() + " / " + topic);
        }
        if (!metadata.path("lagThreshold").asText().matches("[1-9]\\d*")) {
            violations.add(where + ": lagThreshold must be a positive integer");
        }
        Optional<Integer> partitions = manifests.partitionsOf(topic);
        if (partitions.isEmpty()) {
            violations.add(where + ": topic " + topic + " has no KafkaTopic resource to compare partitions with");
        } else if (max > partitions.get()) {
            violations.add(where + ": maxReplicaCount " + max + " exceeds the " + partitions.get()
                    + " partitions of " + topic + " (extra workers would hold GPUs and get no work)");
        }
        String bootstrap = metadata.path("bootstrapServers").asText();
        for (ConfiguredContainer worker : workers) {
            String workerBootstrap = worker.setting("PM_KAFKA_BOOTSTRAP").orElse("");
            if (!bootstrap.equals(workerBootstrap)) {
                violations.add(where + ": bootstrapServers " + bootstrap + " differs from the workers' PM_KAFKA_BOOTSTRAP "
                        + workerBootstrap);
            }
        }
        return violations;
    }

    /** The names the worker uses for {@code model}: photomaker-v1 keeps the original ones. */
    static String perModel(String base, String model) {
        return model.equals(DEFAULT_MODEL) ? base : base + "." + model;
    }

    /** The gateway scales on CPU; its pods request CPU so the utilisation target means something. */
    static List<String> gatewayScalesOnCpu(Manifests manifests) {
        List<String> violations = new ArrayList<>();
        List<ObjectNode> hpas = manifests.ofKind("HorizontalPodAutoscaler");
        if (hpas.isEmpty()) {
            return List.of(manifests + ": no HorizontalPodAutoscaler for the gateway");
        }
        for (ObjectNode hpa : hpas) {
            String where = "HorizontalPodAutoscaler/" + YamlDocs.text(hpa, "metadata", "name");
            String target = YamlDocs.text(hpa, "spec", "scaleTargetRef", "name");
            List<PodContainer> containers = manifests.containersOf(target);
            if (containers.isEmpty()) {
                violations.add(where + ": scaleTargetRef " + target + " is not a Deployment or StatefulSet here");
            }
            containers.stream().filter(c -> !c.init())
                    .filter(c -> c.container().path("resources").path("requests").path("cpu").isMissingNode())
                    .forEach(c -> violations.add(where + ": " + c.where() + " has no CPU request"));
            boolean cpuMetric = false;
            for (JsonNode metric : hpa.path("spec").path("metrics")) {
                cpuMetric |= "cpu".equals(YamlDocs.text(metric, "resource", "name"));
            }
            if (!cpuMetric) {
                violations.add(where + ": no CPU resource metric");
            }
            int min = hpa.path("spec").path("minReplicas").asInt(1);
            if (min < 1 || hpa.path("spec").path("maxReplicas").asInt(0) < min) {
                violations.add(where + ": replica bounds are inconsistent");
            }
            violations.addAll(replicasLeftToAutoscaler(manifests, target, where));
        }
        return violations;
    }

    /** A workload owned by an autoscaler must not pin `replicas` (every apply would reset it). */
    private static List<String> replicasLeftToAutoscaler(Manifests manifests, String workload, String where) {
        List<String> violations = new ArrayList<>();
        for (String kind : List.of("Deployment", "StatefulSet")) {
            manifests.find(kind, workload).filter(d -> d.path("spec").has("replicas")).ifPresent(d ->
                    violations.add(where + ": " + kind + " " + workload + " sets spec.replicas, owned by the autoscaler"));
        }
        return violations;
    }
}
