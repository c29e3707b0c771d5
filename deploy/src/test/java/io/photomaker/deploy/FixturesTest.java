package io.photomaker.deploy;

import static io.photomaker.deploy.Violations.assertNone;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FixturesTest {

    private final KnownEnvironment known = KnownEnvironment.load();

    @Test
    void the_miniature_deployment_used_by_negative_tests_passes_every_manifest_check() {
        Manifests valid = Fixtures.valid();
        assertNone(ScalingChecks.kedaScalesWorkersOnLag(valid));
        assertNone(ScalingChecks.gatewayScalesOnCpu(valid));
        assertNone(WorkloadChecks.drainFitsGracePeriod(valid));
        assertNone(WorkloadChecks.probesOnRealEndpoints(valid));
        assertNone(WorkloadChecks.modelsMountedReadOnly(valid));
        assertNone(WorkloadChecks.gpuPlacementMatchesProvider(valid));
        assertNone(TopicChecks.partitionSettingMatchesTopics(valid));
        assertNone(ImageChecks.check(ImageChecks.usesIn(valid), true));
        valid.configured().forEach(c -> assertNone(EnvironmentChecks.all(c.env(), known)));
    }

    @Test
    void a_fixture_edit_must_hit_exactly_one_place() {
        assertThrows(IllegalArgumentException.class, () -> Fixtures.with("photomaker-common", "x"));
        assertThrows(IllegalArgumentException.class, () -> Fixtures.with("not in the fixture", "x"));
    }
}
