package io.photomaker.deploy;

import static io.photomaker.deploy.Violations.assertFlags;
import static io.photomaker.deploy.Violations.assertNone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every PM_* setting a container gets (env, ConfigMap and Secret keys through envFrom, key references)
 * is one the code reads for that role, required ones are set, typed ones are well-formed.
 */
class EnvironmentContractTest {

    private static KnownEnvironment known;

    @BeforeAll
    static void loadTheDeclaredSettings() {
        known = KnownEnvironment.load();
    }

    @ParameterizedTest
    @MethodSource("io.photomaker.deploy.Violations#renderings")
    void every_container_gets_only_settings_the_code_reads_and_all_it_requires(String rendering) {
        List<String> violations = new ArrayList<>();
        Violations.rendered(rendering).configured().forEach(c -> violations.addAll(EnvironmentChecks.all(c.env(), known)));
        assertNone(violations);
    }

    @ParameterizedTest
    @MethodSource("io.photomaker.deploy.Violations#renderings")
    void every_rendering_runs_a_gateway_and_a_worker(String rendering) {
        Manifests manifests = Violations.rendered(rendering);
        assertFalse(manifests.mainContainers(Role.GATEWAY).isEmpty());
        assertFalse(manifests.mainContainers(Role.WORKER).isEmpty());
    }

    @Test
    void the_compose_services_get_only_settings_the_code_reads_and_all_they_require() {
        assertNone(ComposeChecks.environments(ComposeFile.load(), known));
    }

    @Test
    void a_misspelt_setting_is_rejected() {
        assertFlags(errorsOf(Fixtures.with("PM_DRAIN_SECONDS, value", "PM_DRAIN_SECS, value")),
                "PM_DRAIN_SECS is not a setting the worker code reads");
    }

    @Test
    void a_worker_setting_given_to_the_gateway_is_rejected() {
        assertFlags(errorsOf(Fixtures.with("env: [{name: PM_HTTP_PORT, value: \"8080\"}",
                "env: [{name: PM_HTTP_PORT, value: \"8080\"}, {name: PM_CUDA_MEMORY_LIMIT_MB, value: \"4096\"}")),
                "PM_CUDA_MEMORY_LIMIT_MB is not a setting the gateway code reads");
    }

    @Test
    void a_missing_required_setting_is_rejected() {
        assertFlags(errorsOf(Fixtures.with("PM_S3_BUCKET: photomaker-data", "")), "required setting PM_S3_BUCKET");
    }

    @Test
    void a_worker_without_a_model_directory_is_rejected() {
        assertFlags(errorsOf(Fixtures.with("- {name: PM_MODELS_DIR, value: /models}", "")),
                "required setting PM_MODELS_DIR");
    }

    @Test
    void an_execution_provider_the_worker_does_not_know_is_rejected() {
        assertFlags(errorsOf(Fixtures.with("{name: PM_EXECUTION_PROVIDER, value: cuda}",
                "{name: PM_EXECUTION_PROVIDER, value: gpu}")), "PM_EXECUTION_PROVIDER=gpu is not a valid value");
    }

    @Test
    void a_non_numeric_drain_time_is_rejected() {
        assertFlags(errorsOf(Fixtures.with("{name: PM_DRAIN_SECONDS, value: \"120\"}",
                "{name: PM_DRAIN_SECONDS, value: 2m}")), "PM_DRAIN_SECONDS=2m is not a valid value");
    }

    @Test
    void an_env_from_reference_to_a_missing_secret_is_rejected() {
        assertFlags(errorsOf(Fixtures.with("secretRef: {name: photomaker-api}", "secretRef: {name: photomaker-keys}")),
                "envFrom Secret photomaker-keys does not exist");
    }

    @Test
    void a_key_reference_to_a_missing_config_map_key_is_rejected() {
        assertFlags(errorsOf(Fixtures.with("{name: PM_DRAIN_SECONDS, value: \"120\"}",
                "{name: PM_DRAIN_SECONDS, valueFrom: {configMapKeyRef: {name: photomaker-common, key: DRAIN}}}")),
                "key DRAIN, which does not exist");
    }

    @Test
    void a_value_outside_the_declared_range_is_rejected() {
        assertFlags(errorsOf(Fixtures.with("{name: PM_DRAIN_SECONDS, value: \"120\"}",
                "{name: PM_DRAIN_SECONDS, value: \"7200\"}")), "PM_DRAIN_SECONDS=7200 is not a valid value");
    }

    @Test
    void worker_settings_are_allowed_for_workers_only_and_common_ones_for_both() {
        assertTrue(known.allowedFor(Role.WORKER).containsAll(Set.of("PM_MODELS_DIR", "PM_DRAIN_SECONDS",
                "PM_KAFKA_BOOTSTRAP")));
        assertFalse(known.allowedFor(Role.GATEWAY).contains("PM_MODELS_DIR"));
        assertTrue(known.allowedFor(Role.GATEWAY).contains("PM_KAFKA_BOOTSTRAP"));
    }

    private List<String> errorsOf(Manifests manifests) {
        List<String> violations = new ArrayList<>();
        manifests.configured().forEach(c -> violations.addAll(EnvironmentChecks.all(c.env(), known)));
        return violations;
    }
}
