package io.photomaker.deploy;

import static io.photomaker.deploy.Violations.assertFlags;
import static io.photomaker.deploy.Violations.assertNone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DockerfilesTest {

    private static final DockerIgnore IGNORE = DockerIgnore.parse(RepoLayout.read(RepoLayout.path(".dockerignore")));
    private final KnownEnvironment known = KnownEnvironment.load();

    @ParameterizedTest
    @EnumSource(value = Role.class, names = {"GATEWAY", "WORKER"})
    void our_dockerfiles_build_their_own_artifact_and_run_it_safely(Role role) {
        assertNone(DockerfileChecks.all(role, dockerfile(role), IGNORE, known));
    }

    @Test
    void the_build_context_keeps_sources_and_leaves_out_weights_and_build_outputs() {
        assertNone(DockerfileChecks.contextKeepsSources(IGNORE));
    }

    @Test
    void the_worker_builds_with_the_gpu_profile_by_default_and_without_it_for_the_cpu_variant() {
        Dockerfile worker = dockerfile(Role.WORKER);
        String run = worker.stage("build").orElseThrow().all("RUN").get(0);
        assertTrue(Dockerfile.substitute(run, Map.of("MAVEN_PROFILES", "gpu")).contains(" -Pgpu "));
        assertFalse(Dockerfile.substitute(run, Map.of("MAVEN_PROFILES", "")).contains("-P"));
    }

    @Test
    void dockerignore_double_star_patterns_also_match_at_the_root() {
        DockerIgnore ignore = DockerIgnore.parse("**/target\n!keep/target\n");
        assertTrue(ignore.excludes("target/x.jar"));
        assertTrue(ignore.excludes("gateway/target/lib/a.jar"));
        assertFalse(ignore.excludes("keep/target/a"));
        assertFalse(ignore.excludes("cli/src/Main.java"));
    }

    @Test
    void a_gateway_on_a_full_jdk_image_is_rejected() {
        assertFlags(DockerfileChecks.runtimeBase(Role.GATEWAY,
                broken(Role.GATEWAY, "ARG RUNTIME_IMAGE=eclipse-temurin:17-jre", "ARG RUNTIME_IMAGE=eclipse-temurin:17")),
                "runtime base is eclipse-temurin:17");
    }

    @Test
    void a_worker_on_a_cuda_base_without_cudnn_is_rejected() {
        assertFlags(DockerfileChecks.runtimeBase(Role.WORKER, broken(Role.WORKER,
                "nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04", "nvidia/cuda:12.8.1-runtime-ubuntu24.04")),
                "not an NVIDIA CUDA 12 cuDNN runtime image");
    }

    @Test
    void a_worker_built_without_the_gpu_profile_is_rejected() {
        assertFlags(DockerfileChecks.buildsTheArtifact(Role.WORKER,
                broken(Role.WORKER, "ARG MAVEN_PROFILES=gpu", "ARG MAVEN_PROFILES=")), "-Pgpu");
    }

    @Test
    void a_build_on_another_maven_image_is_rejected() {
        assertFlags(DockerfileChecks.buildsTheArtifact(Role.GATEWAY, broken(Role.GATEWAY,
                "ARG MAVEN_IMAGE=maven:3.9-eclipse-temurin-17", "ARG MAVEN_IMAGE=maven:3.9-eclipse-temurin-21")),
                "no maven:3.9-eclipse-temurin-17 build stage");
    }

    @Test
    void an_image_running_as_root_is_rejected() {
        assertFlags(DockerfileChecks.runsAsNonRoot(broken(Role.GATEWAY, "USER 10001:10001", "USER root")),
                "runs as root");
    }

    @Test
    void a_health_check_on_another_path_is_rejected() {
        assertFlags(DockerfileChecks.healthCheckOnExposedPort(Role.WORKER,
                broken(Role.WORKER, "\"${PM_METRICS_PORT}\" /healthz", "\"${PM_METRICS_PORT}\" /health")),
                "does not probe /healthz");
    }

    @Test
    void exposing_another_port_than_the_process_listens_on_is_rejected() {
        assertFlags(DockerfileChecks.healthCheckOnExposedPort(Role.GATEWAY,
                broken(Role.GATEWAY, "EXPOSE 8080", "EXPOSE 8000")), "lacks PM_HTTP_PORT 8080");
    }

    @Test
    void an_image_that_starts_another_main_class_is_rejected() {
        assertFlags(DockerfileChecks.startsTheArtifact(Role.WORKER,
                broken(Role.WORKER, "io.photomaker.worker.WorkerMain", "io.photomaker.gateway.GatewayMain")),
                "does not start io.photomaker.worker.WorkerMain");
    }

    @Test
    void an_image_that_copies_the_whole_launcher_class_path_is_rejected() {
        assertFlags(DockerfileChecks.buildsTheArtifact(Role.GATEWAY, broken(Role.GATEWAY,
                "/src/gateway/target/lib/", "/src/devtools/target/lib/")), "does not copy gateway/target/lib");
    }

    @Test
    void an_image_that_passes_a_subcommand_is_rejected() {
        assertFlags(DockerfileChecks.startsTheArtifact(Role.GATEWAY, broken(Role.GATEWAY,
                "io.photomaker.gateway.GatewayMain\"]", "io.photomaker.gateway.GatewayMain\"]\nCMD [\"gateway\"]")),
                "passes arguments");
    }

    @Test
    void a_writable_model_volume_in_the_worker_image_is_rejected() {
        assertFlags(DockerfileChecks.expectsModelsAtSlashModels(
                broken(Role.WORKER, "WORKDIR /app", "VOLUME /models\nWORKDIR /app")), "writable anonymous volume");
    }

    @Test
    void an_unknown_setting_in_the_image_environment_is_rejected() {
        assertFlags(DockerfileChecks.environment(Role.GATEWAY,
                broken(Role.GATEWAY, "PM_LOG_FORMAT=json", "PM_LOG_LEVEL=info"), known), "PM_LOG_LEVEL");
    }

    @Test
    void copying_a_file_the_build_context_leaves_out_is_rejected() {
        assertFlags(DockerfileChecks.contextFilesAreSent(dockerfile(Role.GATEWAY),
                DockerIgnore.parse("deploy/docker/*.sh\n")), "is excluded by .dockerignore");
    }

    @Test
    void a_dockerignore_that_drops_module_poms_is_rejected() {
        assertFlags(DockerfileChecks.contextKeepsSources(DockerIgnore.parse("**/pom.xml\nmodels\n**/target\n.git\n")),
                ".dockerignore excludes common/pom.xml");
    }

    @Test
    void stage_arguments_default_to_the_global_ones() {
        Dockerfile file = Dockerfile.parse("ARG A=x\nFROM base:${A} AS s\nARG A\nRUN echo ${A:+-P${A}} ${B:-none}\n");
        assertEquals("base:x", file.baseImage(file.finalStage()));
        assertEquals("echo -Px none", Dockerfile.substitute(file.finalStage().all("RUN").get(0),
                file.finalStage().args(file.globalArgs())));
    }

    private static Dockerfile dockerfile(Role role) {
        return Dockerfile.parse(RepoLayout.read(ImageDefaults.dockerfile(role.component())));
    }

    private static Dockerfile broken(Role role, String from, String to) {
        String text = RepoLayout.read(ImageDefaults.dockerfile(role.component()));
        return Dockerfile.parse(Fixtures.replaceOnce(text, from, to));
    }
}
