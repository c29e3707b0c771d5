package io.photomaker.deploy;

import static io.photomaker.deploy.Violations.assertFlags;
import static io.photomaker.deploy.Violations.assertNone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ComposeTest {

    private static final String SERVICES = """
            services:
              topic-init:
                image: apache/kafka:4.1.0
                entrypoint: ["/bin/bash", "/usr/local/bin/create-topics.sh"]
              minio-init:
                image: minio/mc:RELEASE.2025-03-12T17-29-24Z
                entrypoint: ["/bin/sh", "/usr/local/bin/create-bucket.sh"]
              worker:
                image: photomaker/worker:cpu
                build: {context: ., dockerfile: deploy/docker/Dockerfile.worker}
                env_file: [deploy/compose/photomaker.env]
                environment: {PM_EXECUTION_PROVIDER: cpu, PM_DRAIN_SECONDS: "120"}
                volumes: ["${PHOTOMAKER_MODELS:-./models}:/models:ro"]
                stop_grace_period: 150s
                depends_on:
                  topic-init: {condition: service_completed_successfully}
                  minio-init: {condition: service_completed_successfully}
              worker-gpu:
                profiles: [gpu]
                image: photomaker/worker:latest
                environment: {PM_EXECUTION_PROVIDER: cuda}
                volumes: ["./models:/models:ro"]
                stop_grace_period: 2m30s
                deploy: {resources: {reservations: {devices: [{driver: nvidia, count: 1, capabilities: [gpu]}]}}}
                depends_on:
                  topic-init: {condition: service_completed_successfully}
                  minio-init: {condition: service_completed_successfully}
            """;

    private final ComposeFile compose = ComposeFile.load();

    @Test
    void every_file_the_compose_stack_references_exists() {
        assertNone(ComposeChecks.referencedFilesExist(compose));
    }

    @Test
    void compose_workers_drain_before_being_killed_and_read_models_read_only() {
        assertNone(ComposeChecks.workersDrainAndReadModelsReadOnly(compose));
    }

    @Test
    void the_default_worker_uses_the_cpu_and_the_gpu_profile_reserves_a_gpu() {
        assertNone(ComposeChecks.gpuProfileReservesGpu(compose));
    }

    @Test
    void gateway_and_workers_start_after_the_topic_and_bucket_jobs_completed() {
        assertNone(ComposeChecks.servicesWaitForInitJobs(compose));
    }

    @Test
    void prometheus_and_grafana_are_in_the_observability_profile_only() {
        for (String name : List.of("prometheus", "grafana")) {
            assertEquals(List.of(ComposeChecks.OBSERVABILITY_PROFILE), compose.service(name).orElseThrow().profiles());
        }
    }

    @Test
    void the_miniature_compose_file_passes_the_checks_the_negative_tests_break() {
        ComposeFile valid = ComposeFile.parse(SERVICES);
        assertNone(ComposeChecks.referencedFilesExist(valid));
        assertNone(ComposeChecks.workersDrainAndReadModelsReadOnly(valid));
        assertNone(ComposeChecks.gpuProfileReservesGpu(valid));
        assertNone(ComposeChecks.servicesWaitForInitJobs(valid));
    }

    @Test
    void interpolation_uses_the_file_defaults_not_the_shell() {
        assertEquals("./models:/models:ro", ComposeFile.interpolate("${PHOTOMAKER_MODELS:-./models}:/models:ro"));
        assertEquals("a$b", ComposeFile.interpolate("a$$b${UNSET}"));
    }

    @Test
    void a_missing_env_file_is_rejected() {
        assertFlags(ComposeChecks.referencedFilesExist(broken("deploy/compose/photomaker.env", "deploy/compose/missing.env")),
                "env_file deploy/compose/missing.env does not exist");
    }

    @Test
    void a_stop_grace_period_shorter_than_the_drain_is_rejected() {
        assertFlags(ComposeChecks.workersDrainAndReadModelsReadOnly(broken("stop_grace_period: 150s", "stop_grace_period: 30s")),
                "stop_grace_period 30 s < PM_DRAIN_SECONDS 120");
    }

    @Test
    void a_writable_model_mount_is_rejected() {
        assertFlags(ComposeChecks.workersDrainAndReadModelsReadOnly(broken("./models:/models:ro\"]", "./models:/models\"]")),
                "no read-only mount at PM_MODELS_DIR /models");
    }

    @Test
    void a_default_worker_on_cuda_is_rejected() {
        assertFlags(ComposeChecks.gpuProfileReservesGpu(broken("PM_EXECUTION_PROVIDER: cpu", "PM_EXECUTION_PROVIDER: cuda")),
                "the default worker must use the CPU provider");
    }

    @Test
    void a_gpu_profile_worker_without_a_device_reservation_is_rejected() {
        assertFlags(ComposeChecks.gpuProfileReservesGpu(broken(
                "deploy: {resources: {reservations: {devices: [{driver: nvidia, count: 1, capabilities: [gpu]}]}}}", "")),
                "must reserve an NVIDIA GPU");
    }

    @Test
    void a_worker_that_starts_before_the_bucket_exists_is_rejected() {
        assertFlags(ComposeChecks.servicesWaitForInitJobs(broken(
                "    topic-init: {condition: service_completed_successfully}\n      minio-init: {condition: service_completed_successfully}\n  worker-gpu",
                "    topic-init: {condition: service_completed_successfully}\n  worker-gpu")),
                "worker: does not wait for the job running create-bucket.sh");
    }

    @Test
    void published_ports_bind_to_this_machine_and_the_management_port_is_not_published() {
        assertNone(ComposeChecks.portsStayOnThisMachine(compose));
    }

    @Test
    void a_port_on_every_interface_or_a_published_management_port_is_rejected() {
        ComposeFile open = ComposeFile.parse(SERVICES + """
                  kafka:
                    image: apache/kafka:4.1.0
                    ports: ["29092:29092"]
                  gateway:
                    image: photomaker/gateway:latest
                    environment: {PM_MANAGEMENT_PORT: "9090"}
                    ports: ["127.0.0.1:8080:8080", "127.0.0.1:9090:9090"]
                """);
        assertFlags(ComposeChecks.portsStayOnThisMachine(open), "kafka: port 29092:29092 is published on every");
        assertFlags(ComposeChecks.portsStayOnThisMachine(open), "gateway: publishes the management port 9090");
    }

    @Test
    void docker_compose_accepts_the_file_with_every_profile() throws Exception {
        Optional<Path> docker = ExternalTool.find("docker", "DOCKER");
        List<String> command = new ArrayList<>();
        if (docker.isPresent() && ExternalTool.run(List.of(docker.get().toString(), "compose", "version"), 60).exitCode() == 0) {
            command.addAll(List.of(docker.get().toString(), "compose"));
        } else {
            Optional<Path> legacy = ExternalTool.find("docker-compose", "DOCKER_COMPOSE");
            assumeTrue(legacy.isPresent(), "neither `docker compose` nor docker-compose is installed: skipped");
            command.add(legacy.get().toString());
        }
        command.addAll(List.of("--profile", "gpu", "--profile", "observability", "-f", "docker-compose.yml", "config", "-q"));
        ExternalTool.Result result = ExternalTool.run(command, 120);
        assertEquals(0, result.exitCode(), String.join(" ", command) + "\n" + result.output());
    }

    private static ComposeFile broken(String from, String to) {
        return ComposeFile.parse(Fixtures.replaceOnce(SERVICES, from, to));
    }
}
