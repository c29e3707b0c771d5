package io.photomaker.gateway;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The gateway's package picture (docs/ARCHITECTURE.md), checked on its production classes: packages import each
 * other in one direction, from the composition root through the HTTP layer and the services to the job lifecycle
 * and the Kafka adapters, with the shared HTTP vocabulary ({@code http}), metrics and the settings declarations
 * ({@code settings}) usable from every layer.
 */
class ArchitectureTest {
    static final String ROOT = "io.photomaker.gateway";
    static final JavaClasses GATEWAY = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    @Test
    void the_production_classes_are_found() {
        assertTrue(GATEWAY.size() > 100, "imported " + GATEWAY.size() + " classes");
        assertTrue(GATEWAY.containPackage(ROOT + ".state"));
    }

    @Test
    void the_packages_directly_under_the_gateway_have_no_cycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(GATEWAY);
    }

    @Test
    void no_two_packages_of_the_gateway_import_each_other_in_a_circle() {
        slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(GATEWAY);
    }

    @Test
    void the_gateway_never_imports_the_worker() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.photomaker.worker..").check(GATEWAY);
    }

    @Test
    void production_code_never_imports_test_tooling() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.photomaker.testkit..",
                "io.photomaker.devtools..", "org.junit..", "org.gaul.s3proxy..", "kafka.server..").check(GATEWAY);
    }

    @Test
    void layers_are_used_from_above_only() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Composition").definedBy(ROOT)
                .layer("Http").definedBy(ROOT + ".server..", ROOT + ".config..", ROOT + ".auth..", ROOT + ".openapi..",
                        ROOT + ".web..", ROOT + ".ops..", ROOT + ".submit..", ROOT + ".identity..", ROOT + ".jobs..")
                .layer("Services").definedBy(ROOT + ".cluster..", ROOT + ".limits..", ROOT + ".models..")
                .layer("Lifecycle").definedBy(ROOT + ".state..", ROOT + ".retention..", ROOT + ".webhook..",
                        ROOT + ".timers..", ROOT + ".events..")
                .layer("Adapters").definedBy(ROOT + ".kafka..")
                .layer("Shared").definedBy(ROOT + ".http..", ROOT + ".metrics..", ROOT + ".settings..")
                .whereLayer("Composition").mayNotBeAccessedByAnyLayer()
                .whereLayer("Http").mayOnlyBeAccessedByLayers("Composition")
                .whereLayer("Services").mayOnlyBeAccessedByLayers("Composition", "Http")
                .whereLayer("Lifecycle").mayOnlyBeAccessedByLayers("Composition", "Http", "Services")
                .whereLayer("Adapters").mayOnlyBeAccessedByLayers("Composition", "Http", "Services", "Lifecycle")
                .ensureAllClassesAreContainedInArchitecture()
                .check(GATEWAY);
    }
}
