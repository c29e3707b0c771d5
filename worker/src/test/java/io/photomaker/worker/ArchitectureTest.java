package io.photomaker.worker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The worker's package rules (docs/ARCHITECTURE.md), checked on its production classes. */
class ArchitectureTest {
    static final String ROOT = "io.photomaker.worker";
    static final JavaClasses WORKER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    @Test
    void the_production_classes_are_found() {
        assertTrue(WORKER.size() > 50, "imported " + WORKER.size() + " classes");
        assertTrue(WORKER.containPackage(ROOT + ".loop"));
    }

    @Test
    void the_packages_directly_under_the_worker_have_no_cycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(WORKER);
    }

    @Test
    void no_two_packages_of_the_worker_import_each_other_in_a_circle() {
        slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(WORKER);
    }

    @Test
    void the_packages_under_the_worker_never_import_its_entry_points() {
        noClasses().that().resideOutsideOfPackage(ROOT).should().dependOnClassesThat().resideInAPackage(ROOT)
                .check(WORKER);
    }

    @Test
    void the_worker_never_imports_the_gateway() {
        noClasses().should().dependOnClassesThat().resideInAPackage("io.photomaker.gateway..").check(WORKER);
    }

    @Test
    void production_code_never_imports_test_tooling() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.photomaker.testkit..",
                "io.photomaker.devtools..", "org.junit..", "org.gaul.s3proxy..", "kafka.server..").check(WORKER);
    }
}
