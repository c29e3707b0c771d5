package io.photomaker.deploy;

import static io.photomaker.deploy.Violations.assertFlags;
import static io.photomaker.deploy.Violations.assertNone;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SecretsTest {

    @Test
    void the_secret_template_holds_placeholders_only() {
        assertNone(SecretChecks.placeholdersOnly(Manifests.secretTemplate()));
    }

    @Test
    void the_secret_template_carries_the_api_keys_and_s3_credentials() {
        Set<String> keys = new HashSet<>();
        Manifests.secretTemplate().forEach(s -> s.path("stringData").fieldNames().forEachRemaining(keys::add));
        assertTrue(keys.containsAll(Set.of("PM_API_KEYS", "PM_S3_ACCESS_KEY", "PM_S3_SECRET_KEY")), keys.toString());
    }

    @ParameterizedTest
    @MethodSource("io.photomaker.deploy.Violations#renderings")
    void no_rendering_ships_a_secret_that_an_apply_would_overwrite(String rendering) {
        assertNone(SecretChecks.noSecretRendered(Violations.rendered(rendering)));
    }

    @Test
    void a_real_looking_credential_in_the_template_is_rejected() {
        assertFlags(SecretChecks.placeholdersOnly(YamlDocs.resources("""
                apiVersion: v1
                kind: Secret
                metadata: {name: photomaker-s3}
                stringData: {PM_S3_ACCESS_KEY: AKIAIOSFODNN7EXAMPLE}
                """)), "holds a value, not a REPLACE_WITH_ placeholder");
    }

    @Test
    void a_rendering_that_includes_a_secret_is_rejected() {
        assertFlags(SecretChecks.noSecretRendered(Manifests.fromYaml("broken", Fixtures.all() + """
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: photomaker-api}
                stringData: {PM_API_KEYS: REPLACE_WITH_KEYS}
                """)), "renders Secret photomaker-api");
    }
}
