package io.photomaker.deploy;

import static io.photomaker.deploy.Violations.assertFlags;
import static io.photomaker.deploy.Violations.assertNone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class KafkaTopicsTest {

    @ParameterizedTest
    @MethodSource("io.photomaker.deploy.Violations#renderings")
    void every_topic_the_code_uses_exists_with_the_codes_cleanup_policy(String rendering) {
        assertNone(TopicChecks.kafkaTopicsAreComplete(Violations.rendered(rendering)));
    }

    @ParameterizedTest
    @MethodSource("io.photomaker.deploy.Violations#renderings")
    void the_partition_setting_matches_the_topics(String rendering) {
        assertNone(TopicChecks.partitionSettingMatchesTopics(Violations.rendered(rendering)));
    }

    @Test
    void the_compose_topic_script_creates_the_same_topics_with_the_same_cleanup_and_retention() {
        Map<String, Map<String, String>> script = TopicChecks.scriptTopics(
                RepoLayout.read(RepoLayout.path(TopicChecks.COMPOSE_SCRIPT)));
        assertEquals(TopicChecks.inCode().keySet(), script.keySet());
        assertNone(TopicChecks.composeMatchesKubernetes(script,
                TopicChecks.resourceTopics(Violations.rendered("deploy/k8s/base"))));
    }

    @Test
    void the_topics_derived_from_the_code_include_the_control_and_usage_topics_and_every_store_changelog() {
        Map<String, Map<String, String>> code = TopicChecks.inCode();
        assertEquals("compact", code.get("photomaker.job-control").get("cleanup.policy"));
        assertEquals("compact", code.get("photomaker.tenant-usage").get("cleanup.policy"));
        assertEquals("compact", code.get("photomaker-state-job-records-changelog").get("cleanup.policy"));
        assertTrue(code.containsKey("photomaker.jobs.photomaker-v2"), "one work queue per served model");
        assertEquals(16, code.size(), code.keySet().toString());
    }

    @Test
    void a_topic_the_code_uses_but_kubernetes_does_not_declare_is_rejected() {
        Map<String, Map<String, String>> code = new java.util.TreeMap<>(TopicChecks.inCode());
        code.put("photomaker.new-topic", Map.of("cleanup.policy", "compact"));
        assertFlags(TopicChecks.kafkaTopicsAreComplete(Violations.rendered("deploy/k8s/base"), code),
                "photomaker.new-topic has no KafkaTopic");
    }

    @Test
    void a_job_state_topic_that_is_not_compacted_is_rejected() {
        List<ObjectNode> topics = Violations.rendered("deploy/k8s/base").ofKind("KafkaTopic").stream()
                .map(ObjectNode::deepCopy).toList();
        topics.stream().filter(t -> Manifests.topicName(t).equals(TopicChecks.STATE_TOPIC))
                .forEach(t -> t.withObjectProperty("spec").withObjectProperty("config").put("cleanup.policy", "delete"));
        assertFlags(TopicChecks.kafkaTopicsAreComplete(new Manifests("broken", topics, List.of())),
                "photomaker.job-state: cleanup.policy must be compact");
    }

    @Test
    void a_missing_topic_is_rejected() {
        assertFlags(TopicChecks.kafkaTopicsAreComplete(Fixtures.valid()), "photomaker.jobs.dlq has no KafkaTopic");
    }

    @Test
    void a_topic_without_retention_is_rejected() {
        assertFlags(TopicChecks.kafkaTopicsAreComplete(Fixtures.with("retention.ms: 604800000, ", "")),
                "photomaker.jobs: needs cleanup.policy delete with a positive retention.ms");
    }

    @Test
    void replication_that_cannot_lose_a_broker_is_rejected() {
        assertFlags(TopicChecks.kafkaTopicsAreComplete(Fixtures.with("min.insync.replicas: 2", "min.insync.replicas: 3")),
                "cannot survive one broker down");
    }

    @Test
    void a_partition_setting_other_than_the_topic_partitions_is_rejected() {
        assertFlags(TopicChecks.partitionSettingMatchesTopics(
                Fixtures.with("PM_TOPIC_PARTITIONS: \"12\"", "PM_TOPIC_PARTITIONS: \"6\"")),
                "PM_TOPIC_PARTITIONS 6 but photomaker.jobs has 12");
    }

    @Test
    void a_compose_script_creating_job_state_without_compaction_is_rejected() {
        Map<String, Map<String, String>> script = TopicChecks.scriptTopics("""
                create photomaker.jobs --config cleanup.policy=delete --config retention.ms=604800000
                create photomaker.job-state \\
                  --config retention.ms=604800000
                """);
        assertEquals(Map.of("retention.ms", "604800000"), script.get("photomaker.job-state"));
        assertFlags(TopicChecks.composeMatchesKubernetes(script, TopicChecks.resourceTopics(
                Violations.rendered("deploy/k8s/base"))), "photomaker.job-state: cleanup.policy is 'compact'");
    }
}
