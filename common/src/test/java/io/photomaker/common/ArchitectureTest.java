package io.photomaker.common;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Rules of the module gateway and worker share (docs/ARCHITECTURE.md), checked on its production classes. */
class ArchitectureTest {
    static final String ROOT = "io.photomaker.common";
    static final JavaClasses COMMON = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages(ROOT);

    @Test
    void the_production_classes_are_found() {
        assertTrue(COMMON.size() > 30, "imported " + COMMON.size() + " classes");
        assertTrue(COMMON.containPackage(ROOT + ".job"));
    }

    @Test
    void the_packages_directly_under_common_have_no_cycles() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(COMMON);
    }

    @Test
    void no_two_packages_of_common_import_each_other_in_a_circle() {
        slices().matching(ROOT + ".(**)").should().beFreeOfCycles().check(COMMON);
    }

    @Test
    void common_imports_neither_the_gateway_nor_the_worker() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.photomaker.gateway..",
                "io.photomaker.worker..", "io.photomaker.cli..").check(COMMON);
    }

    @Test
    void production_code_never_imports_test_tooling() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("io.photomaker.testkit..",
                "io.photomaker.devtools..", "org.junit..", "org.gaul.s3proxy..", "kafka.server..").check(COMMON);
    }
}
