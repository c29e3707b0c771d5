package io.photomaker.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.photomaker.common.config.KafkaSettings;
import io.photomaker.common.kafka.Topics;
import io.photomaker.gateway.state.StateTopology;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Checks on the Kafka topics: the Strimzi KafkaTopic resources, the partition setting the services
 * get, and agreement with the compose stack's topic script. The topics and their cleanup policies come from
 * the code ({@link #inCode()}), so neither declaration can drift from what the services use.
 */
final class TopicChecks {

    static final String STATE_TOPIC = Topics.JOB_STATE;
    static final String COMPOSE_SCRIPT = "deploy/compose/create-topics.sh";
    /** Settings both the Strimzi resources and the compose script must agree on. */
    static final List<String> SHARED_CONFIG = List.of("cleanup.policy", "retention.ms");

    private static final Pattern CREATE = Pattern.compile("(?m)^\\s*create\\s+(\\S+)(.*)$");
    private static final Pattern CONFIG = Pattern.compile("--config\\s+([a-z.]+)=(\\S+)");

    private TopicChecks() {
    }

    /**
     * Every topic the code uses with the cleanup settings it creates them with: the system's topics
     * ({@link Topics#definitions}) and the state processor's store changelogs (compacted, named by Kafka Streams).
     */
    static Map<String, Map<String, String>> inCode() {
        Map<String, Map<String, String>> topics = new TreeMap<>();
        for (NewTopic t : Topics.definitions(new KafkaSettings("code:9092", 12, (short) 3))) {
            Map<String, String> cfg = new TreeMap<>();
            t.configs().forEach((k, v) -> {
                if (SHARED_CONFIG.contains(k)) {
                    cfg.put(k, v);
                }
            });
            cfg.putIfAbsent("cleanup.policy", "delete");
            topics.put(t.name(), cfg);
        }
        for (String changelog : StateTopology.changelogTopics()) {
            topics.put(changelog, Map.of("cleanup.policy", "compact"));
        }
        return topics;
    }

    /**
     * Every topic of the code exists once, with the code's cleanup policy (and retention where the code sets one),
     * no other photomaker topic is declared, replication survives a broker down, and all share one partition count.
     */
    static List<String> kafkaTopicsAreComplete(Manifests manifests) {
        return kafkaTopicsAreComplete(manifests, inCode());
    }

    static List<String> kafkaTopicsAreComplete(Manifests manifests, Map<String, Map<String, String>> code) {
        List<String> violations = new ArrayList<>();
        Map<String, JsonNode> byTopic = new TreeMap<>();
        for (ObjectNode topic : manifests.ofKind("KafkaTopic")) {
            if (byTopic.put(Manifests.topicName(topic), topic) != null) {
                violations.add("topic " + Manifests.topicName(topic) + " is defined twice");
            }
            if (YamlDocs.text(topic, "metadata", "labels", "strimzi.io/cluster").isEmpty()) {
                violations.add("KafkaTopic " + Manifests.topicName(topic) + " has no strimzi.io/cluster label");
            }
            if (!code.containsKey(Manifests.topicName(topic))) {
                violations.add("topic " + Manifests.topicName(topic) + " has a KafkaTopic but the code does not use it");
            }
        }
        code.forEach((name, cfg) -> {
            JsonNode topic = byTopic.get(name);
            if (topic == null) {
                violations.add("topic " + name + " has no KafkaTopic resource");
                return;
            }
            JsonNode spec = topic.path("spec");
            String policy = spec.path("config").path("cleanup.policy").asText("delete");
            String expected = cfg.get("cleanup.policy");
            if (!policy.equals(expected)) {
                violations.add(name + ": cleanup.policy must be " + expected + " (as the code creates it), found " + policy);
            }
            if (expected.equals("delete") && spec.path("config").path("retention.ms").asLong(0) <= 0) {
                violations.add(name + ": needs cleanup.policy delete with a positive retention.ms");
            } else if (cfg.containsKey("retention.ms")
                    && !cfg.get("retention.ms").equals(spec.path("config").path("retention.ms").asText())) {
                violations.add(name + ": retention.ms must be " + cfg.get("retention.ms") + " as in the code");
            }
            int replicas = spec.path("replicas").asInt(0);
            int minInSync = spec.path("config").path("min.insync.replicas").asInt(1);
            if (replicas < 1 || (replicas > 1 && minInSync >= replicas)) {
                violations.add(name + ": replicas " + replicas + " with min.insync.replicas " + minInSync
                        + " cannot survive one broker down");
            }
        });
        long distinctPartitions = byTopic.values().stream().map(t -> t.path("spec").path("partitions").asInt()).distinct().count();
        if (distinctPartitions > 1) {
            violations.add("topics have different partition counts; a job's events, work item, control record and "
                    + "store partition must share a partition number");
        }
        return violations;
    }

    /** Containers told PM_TOPIC_PARTITIONS must be told the partitions photomaker.jobs really has. */
    static List<String> partitionSettingMatchesTopics(Manifests manifests) {
        Optional<Integer> partitions = manifests.partitionsOf(Topics.JOBS);
        List<String> violations = new ArrayList<>();
        for (ConfiguredContainer container : manifests.configured()) {
            Optional<Integer> setting = container.env().intValue("PM_TOPIC_PARTITIONS");
            if (setting.isPresent() && !setting.equals(partitions)) {
                violations.add(container.where() + ": PM_TOPIC_PARTITIONS " + setting.get() + " but "
                        + Topics.JOBS + " has " + partitions.map(String::valueOf).orElse("no KafkaTopic"));
            }
        }
        return violations;
    }

    /** Topic name to its --config settings, from the compose topic script. */
    static Map<String, Map<String, String>> scriptTopics(String script) {
        String joined = script.replace("\\\n", " ");
        Map<String, Map<String, String>> topics = new TreeMap<>();
        Matcher create = CREATE.matcher(joined);
        while (create.find()) {
            Map<String, String> config = new TreeMap<>();
            Matcher setting = CONFIG.matcher(create.group(2));
            while (setting.find()) {
                config.put(setting.group(1), setting.group(2));
            }
            topics.put(create.group(1), config);
        }
        return topics;
    }

    /** Topic name to its config, from the KafkaTopic resources. */
    static Map<String, Map<String, String>> resourceTopics(Manifests manifests) {
        Map<String, Map<String, String>> topics = new TreeMap<>();
        for (ObjectNode topic : manifests.ofKind("KafkaTopic")) {
            Map<String, String> config = new TreeMap<>();
            topic.path("spec").path("config").fields().forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
            topics.put(Manifests.topicName(topic), config);
        }
        return topics;
    }

    /** The compose script creates the same topics with the same cleanup and retention as Kubernetes. */
    static List<String> composeMatchesKubernetes(Map<String, Map<String, String>> script,
                                                 Map<String, Map<String, String>> kubernetes) {
        List<String> violations = new ArrayList<>();
        if (!script.keySet().equals(kubernetes.keySet())) {
            violations.add("compose creates topics " + script.keySet() + ", Kubernetes defines " + kubernetes.keySet());
        }
        kubernetes.forEach((topic, config) -> {
            Map<String, String> compose = script.getOrDefault(topic, Map.of());
            for (String key : SHARED_CONFIG) {
                String expected = config.getOrDefault(key, "");
                if (!expected.equals(compose.getOrDefault(key, ""))) {
                    violations.add(topic + ": " + key + " is '" + expected + "' on Kubernetes but '"
                            + compose.getOrDefault(key, "") + "' in " + COMPOSE_SCRIPT);
                }
            }
        });
        return violations;
    }
}
