package io.photomaker.deploy;

import static io.photomaker.deploy.Violations.assertFlags;
import static io.photomaker.deploy.Violations.assertNone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class WorkloadTest {

    @ParameterizedTest
    @MethodSource("io.photomaker.deploy.Violations#renderings")
    void workers_get_a_grace_period_longer_than_their_drain(String rendering) {
        assertNone(WorkloadChecks.drainFitsGracePeriod(Violations.rendered(rendering)));
    }

    @ParameterizedTest
    @MethodSource("io.photomaker.deploy.Violations#renderings")
    void probes_hit_healthz_and_readyz_on_the_port_the_process_listens_on(String rendering) {
        assertNone(WorkloadChecks.probesOnRealEndpoints(Violations.rendered(rendering)));
    }

    @ParameterizedTest
    @MethodSource("io.photomaker.deploy.Violations#renderings")
    void workers_read_the_model_directory_from_a_read_only_mount(String rendering) {
        assertNone(WorkloadChecks.modelsMountedReadOnly(Violations.rendered(rendering)));
    }

    @ParameterizedTest
    @MethodSource("io.photomaker.deploy.Violations#renderings")
    void gpu_requests_and_placement_match_the_execution_provider(String rendering) {
        assertNone(WorkloadChecks.gpuPlacementMatchesProvider(Violations.rendered(rendering)));
    }

    @Test
    void the_base_and_gpu_overlays_run_gpu_workers_and_the_cpu_overlay_cpu_workers() {
        // one worker fleet per model: photomaker-v1 and photomaker-v2
        assertEquals(List.of("cpu", "cpu"), providers("deploy/k8s/overlays/cpu"));
        assertEquals(List.of("cuda", "cuda"), providers("deploy/k8s/overlays/gpu"));
        assertEquals(List.of("cuda", "cuda"), providers("deploy/k8s/overlays/gpu-models-from-s3"));
        List<String> base = providers("deploy/k8s/base");
        assertFalse(base.isEmpty() || base.contains("cpu"), "the base worker must be a GPU worker: " + base);
    }

    @Test
    void a_grace_period_shorter_than_the_drain_is_rejected() {
        assertFlags(WorkloadChecks.drainFitsGracePeriod(
                Fixtures.with("terminationGracePeriodSeconds: 150", "terminationGracePeriodSeconds: 60")),
                "terminationGracePeriodSeconds 60 s < PM_DRAIN_SECONDS 120");
    }

    @Test
    void a_grace_period_equal_to_the_drain_leaves_no_margin_and_is_rejected() {
        assertFlags(WorkloadChecks.drainFitsGracePeriod(
                Fixtures.with("terminationGracePeriodSeconds: 150", "terminationGracePeriodSeconds: 120")),
                "s margin");
    }

    @Test
    void a_readiness_probe_on_the_liveness_endpoint_is_rejected() {
        assertFlags(WorkloadChecks.probesOnRealEndpoints(Fixtures.with(
                "readinessProbe: {httpGet: {path: /readyz, port: metrics}}",
                "readinessProbe: {httpGet: {path: /healthz, port: metrics}}")), "readinessProbe must GET /readyz");
    }

    @Test
    void a_probe_on_a_port_the_container_does_not_declare_is_rejected() {
        assertFlags(WorkloadChecks.probesOnRealEndpoints(Fixtures.with(
                "livenessProbe: {httpGet: {path: /healthz, port: management}}",
                "livenessProbe: {httpGet: {path: /healthz, port: 8081}}")), "port 8081 is not a containerPort");
    }

    @Test
    void a_probe_on_a_declared_port_the_process_does_not_listen_on_is_rejected() {
        assertFlags(WorkloadChecks.probesOnRealEndpoints(Fixtures.with(
                "{name: PM_MANAGEMENT_PORT, value: \"9090\"}", "{name: PM_MANAGEMENT_PORT, value: \"9000\"}")),
                "the process listens on 9000");
    }

    @Test
    void a_worker_without_a_readiness_probe_is_rejected() {
        assertFlags(WorkloadChecks.probesOnRealEndpoints(
                Fixtures.with("readinessProbe: {httpGet: {path: /readyz, port: metrics}}", "")), "no readinessProbe");
    }

    @Test
    void a_writable_model_directory_is_rejected() {
        assertFlags(WorkloadChecks.modelsMountedReadOnly(Fixtures.with(
                "{name: models, mountPath: /models, readOnly: true}", "{name: models, mountPath: /models}")),
                "is not mounted readOnly");
    }

    @Test
    void a_model_volume_from_a_claim_that_does_not_exist_is_rejected() {
        assertFlags(WorkloadChecks.modelsMountedReadOnly(Fixtures.with(
                "claimName: photomaker-models,", "claimName: models-typo,")), "PersistentVolumeClaim models-typo");
    }

    @Test
    void a_cpu_worker_that_still_requests_a_gpu_is_rejected() {
        assertFlags(WorkloadChecks.gpuPlacementMatchesProvider(Fixtures.with(
                "{name: PM_EXECUTION_PROVIDER, value: cuda}", "{name: PM_EXECUTION_PROVIDER, value: cpu}")),
                "runs the CPU provider but requests or seeks GPU nodes");
    }

    @Test
    void a_gpu_worker_without_a_gpu_request_is_rejected() {
        assertFlags(WorkloadChecks.gpuPlacementMatchesProvider(Fixtures.with(
                "requests: {cpu: \"2\", nvidia.com/gpu: 1}", "requests: {cpu: \"2\"}")), "request and limit of 1");
    }

    @Test
    void a_gpu_worker_that_does_not_tolerate_gpu_nodes_is_rejected() {
        assertFlags(WorkloadChecks.gpuPlacementMatchesProvider(Fixtures.with(
                "tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]", "")),
                "does not tolerate");
    }

    private static List<String> providers(String rendering) {
        return Violations.rendered(rendering).mainContainers(Role.WORKER).stream()
                .map(w -> w.setting("PM_EXECUTION_PROVIDER").orElse("auto")).toList();
    }
}
