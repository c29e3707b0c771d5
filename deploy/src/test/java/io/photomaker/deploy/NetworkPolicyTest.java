package io.photomaker.deploy;

import static io.photomaker.deploy.Violations.assertFlags;
import static io.photomaker.deploy.Violations.assertNone;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class NetworkPolicyTest {
    private static final String TOPIC = """
            apiVersion: kafka.strimzi.io/v1beta2
            kind: KafkaTopic
            metadata: {name: photomaker.jobs, labels: {strimzi.io/cluster: photomaker-kafka}}
            spec: {partitions: 1, replicas: 1}
            """;
    private static final String GATEWAY_SERVICE = """
            apiVersion: v1
            kind: Service
            metadata: {name: photomaker-gateway}
            spec:
              selector: {app.kubernetes.io/name: photomaker, app.kubernetes.io/component: gateway}
              ports: [{name: http, port: 80, targetPort: http}]
            """;
    private static final String GATEWAY_POLICY = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: photomaker-gateway}
            spec:
              podSelector: {matchLabels: {app.kubernetes.io/name: photomaker, app.kubernetes.io/component: gateway}}
              policyTypes: [Ingress]
              ingress:
                - ports: [{port: http}]
                - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}}]
                  ports: [{port: management}]
            """;
    private static final String KAFKA_POLICY = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: photomaker-kafka-clients}
            spec:
              podSelector: {matchLabels: {strimzi.io/cluster: photomaker-kafka}}
              policyTypes: [Ingress]
              ingress:
                - from:
                    - podSelector: {matchLabels: {app.kubernetes.io/name: photomaker, app.kubernetes.io/component: gateway}}
                    - podSelector: {matchLabels: {app.kubernetes.io/name: photomaker, app.kubernetes.io/component: worker}}
                  ports: [{port: 9092}]
            """;

    private static Manifests of(String... docs) {
        return Manifests.fromYaml("fixture", String.join("---\n", docs));
    }

    @ParameterizedTest
    @MethodSource("io.photomaker.deploy.Violations#renderings")
    void only_gateways_and_workers_reach_kafkas_client_ports(String rendering) {
        assertNone(NetworkPolicyChecks.onlyOurPodsReachKafka(Violations.rendered(rendering)));
    }

    @ParameterizedTest
    @MethodSource("io.photomaker.deploy.Violations#renderings")
    void the_gateways_management_port_is_on_no_service_and_open_to_monitoring_only(String rendering) {
        assertNone(NetworkPolicyChecks.managementPortStaysPrivate(Violations.rendered(rendering)));
    }

    @Test
    void the_fixture_passes() {
        assertNone(NetworkPolicyChecks.onlyOurPodsReachKafka(of(TOPIC, KAFKA_POLICY)));
        assertNone(NetworkPolicyChecks.managementPortStaysPrivate(of(GATEWAY_SERVICE, GATEWAY_POLICY)));
    }

    @Test
    void a_component_expression_naming_only_our_fleets_passes_and_one_naming_others_is_flagged() {
        String fleets = """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: fleets}
                spec:
                  podSelector: {matchLabels: {strimzi.io/cluster: photomaker-kafka}}
                  policyTypes: [Ingress]
                  ingress:
                    - from:
                        - podSelector:
                            matchLabels: {app.kubernetes.io/name: photomaker}
                            matchExpressions: [{key: app.kubernetes.io/component, operator: In, values: [gateway, worker, worker-v2]}]
                      ports: [{port: 9092}]
                """;
        assertNone(NetworkPolicyChecks.onlyOurPodsReachKafka(of(TOPIC, fleets)));
        assertFlags(NetworkPolicyChecks.onlyOurPodsReachKafka(of(TOPIC, fleets.replace("worker-v2]", "web]"))),
                "may reach Kafka");
        assertFlags(NetworkPolicyChecks.onlyOurPodsReachKafka(of(TOPIC, fleets.replace("operator: In",
                "operator: NotIn"))), "may reach Kafka");
    }

    @Test
    void kafka_without_a_policy_is_flagged() {
        assertFlags(NetworkPolicyChecks.onlyOurPodsReachKafka(of(TOPIC)), "no NetworkPolicy limits ingress");
    }

    @Test
    void a_rule_that_lets_any_other_pod_onto_kafka_is_flagged() {
        assertFlags(NetworkPolicyChecks.onlyOurPodsReachKafka(of(TOPIC, KAFKA_POLICY.replace(
                "app.kubernetes.io/component: worker", "app.kubernetes.io/component: web"))), "may reach Kafka");
        String open = """
                apiVersion: networking.k8s.io/v1
                kind: NetworkPolicy
                metadata: {name: open}
                spec:
                  podSelector: {matchLabels: {strimzi.io/cluster: photomaker-kafka}}
                  policyTypes: [Ingress]
                  ingress: [{ports: [{port: 9092}]}]
                """;
        assertFlags(NetworkPolicyChecks.onlyOurPodsReachKafka(of(TOPIC, open)), "to every pod");
    }

    @Test
    void a_service_exposing_the_management_port_or_an_open_management_rule_is_flagged() {
        assertFlags(NetworkPolicyChecks.managementPortStaysPrivate(of(GATEWAY_SERVICE.replace(
                "ports: [{name: http, port: 80, targetPort: http}]",
                "ports: [{name: http, port: 80, targetPort: http}, {name: ops, port: 9090, targetPort: management}]"),
                GATEWAY_POLICY)), "exposes the gateway's management port");
        String open = GATEWAY_POLICY.replace(
                "  - from: [{namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: monitoring}}}]\n"
                        + "      ports: [{port: management}]",
                "  - ports: [{port: management}]");
        assertFlags(NetworkPolicyChecks.managementPortStaysPrivate(of(GATEWAY_SERVICE, open)), "to every pod");
    }
}
