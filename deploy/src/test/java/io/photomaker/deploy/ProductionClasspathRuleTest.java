package io.photomaker.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The build rule that keeps test tooling out of the production artifacts: the gateway and worker poms
 * run it, and it fails a build whose runtime class path reaches a banned library (checked on a
 * throwaway module under target/ that inherits the real rule) while test scope stays allowed.
 */
class ProductionClasspathRuleTest {
    private static final String RULE_EXECUTION = "<id>production-runtime-classpath</id>";

    @ParameterizedTest
    @ValueSource(strings = {"gateway", "worker"})
    void each_production_module_runs_the_rule(String module) {
        String pom = RepoLayout.read(RepoLayout.path(module + "/pom.xml"));
        assertTrue(pom.contains("<artifactId>maven-enforcer-plugin</artifactId>") && pom.contains(RULE_EXECUTION),
                module + "/pom.xml does not run the production class path rule");
    }

    @Test
    void the_rule_bans_testkit_junit_s3proxy_and_the_kafka_broker() {
        String parent = RepoLayout.read(RepoLayout.path("pom.xml"));
        for (String banned : List.of("io.photomaker:testkit", "org.junit.jupiter", "org.gaul",
                "org.apache.kafka:kafka_*", "org.apache.kafka:kafka-server*", "org.apache.kafka:kafka-test-*")) {
            assertTrue(parent.contains("<exclude>" + banned + "</exclude>"), banned + " is not banned");
        }
        assertTrue(RepoLayout.read(RepoLayout.path("gateway/pom.xml")).contains("<exclude>com.microsoft.onnxruntime</exclude>"));
        String worker = RepoLayout.read(RepoLayout.path("worker/pom.xml"));
        assertTrue(worker.contains("<exclude>org.apache.kafka:kafka-streams</exclude>")
                && worker.contains("<exclude>org.rocksdb</exclude>"));
    }

    @Test
    void a_module_whose_runtime_class_path_reaches_s3proxy_fails_the_build() throws Exception {
        ExternalTool.Result result = validate("compile");
        assertNotEquals(0, result.exitCode(), result.output());
        assertTrue(result.output().contains("org.gaul:s3proxy") && result.output().contains("banned"), result.output());
    }

    @Test
    void the_same_library_for_tests_only_passes() throws Exception {
        ExternalTool.Result result = validate("test");
        assertEquals(0, result.exitCode(), result.output());
    }

    /** Runs {@code mvn -o validate} on a module that depends on S3Proxy in {@code scope}. */
    private static ExternalTool.Result validate(String scope) throws Exception {
        Path mvn = ExternalTool.find("mvn", "MAVEN_EXECUTABLE").orElse(null);
        Assumptions.assumeTrue(mvn != null, "mvn is not on PATH");
        Path dir = RepoLayout.path("deploy/target/enforcer-check-" + scope).toAbsolutePath().normalize();
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("pom.xml"), """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <parent>
                    <groupId>io.photomaker</groupId>
                    <artifactId>photomaker-parent</artifactId>
                    <version>0.1.0-SNAPSHOT</version>
                    <relativePath>%s</relativePath><!-- Maven 3.8 takes only a relative one -->
                  </parent>
                  <artifactId>enforcer-check-%s</artifactId>
                  <dependencies>
                    <dependency><groupId>org.gaul</groupId><artifactId>s3proxy</artifactId><scope>%s</scope></dependency>
                  </dependencies>
                  <build><plugins><plugin>
                    <groupId>org.apache.maven.plugins</groupId><artifactId>maven-enforcer-plugin</artifactId>
                  </plugin></plugins></build>
                </project>
                """.formatted(dir.relativize(RepoLayout.path("pom.xml")), scope, scope), StandardCharsets.UTF_8);
        return ExternalTool.run(List.of(mvn.toString(), "-o", "-B", "-q", "-f", dir.resolve("pom.xml").toString(),
                "validate"), 300);
    }
}
