package io.photomaker.deploy;

import static io.photomaker.deploy.Violations.assertFlags;
import static io.photomaker.deploy.Violations.assertNone;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ScalingTest {

    @ParameterizedTest
    @MethodSource("io.photomaker.deploy.Violations#renderings")
    void keda_scales_workers_on_jobs_lag_between_a_warm_minimum_and_the_partition_count(String rendering) {
        assertNone(ScalingChecks.kedaScalesWorkersOnLag(Violations.rendered(rendering)));
    }

    @ParameterizedTest
    @MethodSource("io.photomaker.deploy.Violations#renderings")
    void the_gateway_scales_on_cpu_and_requests_cpu(String rendering) {
        assertNone(ScalingChecks.gatewayScalesOnCpu(Violations.rendered(rendering)));
    }

    @Test
    void more_worker_replicas_than_partitions_of_photomaker_jobs_are_rejected() {
        assertFlags(ScalingChecks.kedaScalesWorkersOnLag(Fixtures.with("maxReplicaCount: 12", "maxReplicaCount: 13")),
                "exceeds the 12 partitions of photomaker.jobs");
    }

    @Test
    void a_keda_minimum_of_zero_warm_workers_is_rejected() {
        assertFlags(ScalingChecks.kedaScalesWorkersOnLag(Fixtures.with("minReplicaCount: 1", "minReplicaCount: 0")),
                "minReplicaCount 0");
    }

    @Test
    void a_trigger_on_another_consumer_group_is_rejected() {
        assertFlags(ScalingChecks.kedaScalesWorkersOnLag(
                Fixtures.with("consumerGroup: photomaker-workers", "consumerGroup: photomaker-gateway")),
                "must scale on group photomaker-workers");
    }

    @Test
    void a_v2_fleet_scaled_on_the_v1_queue_is_rejected() {
        assertFlags(ScalingChecks.kedaScalesWorkersOnLag(Fixtures.with("- {name: PM_MODELS_DIR, value: /models}",
                "- {name: PM_MODELS_DIR, value: /models}\n            - {name: PM_MODEL, value: photomaker-v2}")),
                "photomaker-v2 workers must scale on group photomaker-workers.photomaker-v2 / topic "
                        + "photomaker.jobs.photomaker-v2");
    }

    @Test
    void a_trigger_without_an_activation_threshold_is_rejected() {
        assertFlags(ScalingChecks.kedaScalesWorkersOnLag(Fixtures.with("activationLagThreshold: \"0\"", "")),
                "lacks activationLagThreshold");
    }

    @Test
    void keda_reading_lag_from_another_cluster_than_the_workers_is_rejected() {
        assertFlags(ScalingChecks.kedaScalesWorkersOnLag(
                Fixtures.with("bootstrapServers: kafka.photomaker.svc:9092", "bootstrapServers: kafka:9092")),
                "differs from the workers' PM_KAFKA_BOOTSTRAP");
    }

    @Test
    void a_scaled_object_aimed_at_a_missing_deployment_is_rejected() {
        assertFlags(ScalingChecks.kedaScalesWorkersOnLag(
                Fixtures.with("scaleTargetRef: {name: photomaker-worker}", "scaleTargetRef: {name: worker}")),
                "scaleTargetRef worker is not a worker Deployment");
    }

    @Test
    void a_worker_deployment_pinning_replicas_under_keda_is_rejected() {
        assertFlags(ScalingChecks.kedaScalesWorkersOnLag(Fixtures.with(
                "metadata: {name: photomaker-worker}\nspec:\n  template:",
                "metadata: {name: photomaker-worker}\nspec:\n  replicas: 3\n  template:")),
                "sets spec.replicas");
    }

    @Test
    void a_gateway_without_a_cpu_request_under_a_cpu_autoscaler_is_rejected() {
        assertFlags(ScalingChecks.gatewayScalesOnCpu(Fixtures.with("resources: {requests: {cpu: 500m}}", "")),
                "has no CPU request");
    }
}
