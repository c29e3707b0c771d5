package io.photomaker.deploy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ManifestParsingTest {

    @Test
    void every_yaml_file_of_the_deployment_parses_into_at_least_one_document() {
        List<Path> files = RepoLayout.yamlFiles();
        assertTrue(files.size() >= 20, "expected the k8s, compose and observability files, found " + files);
        for (Path file : files) {
            assertFalse(YamlDocs.readAll(file).isEmpty(), () -> file + " has no YAML document");
        }
    }

    @ParameterizedTest
    @MethodSource("io.photomaker.deploy.Violations#renderings")
    void every_kustomization_renders_into_named_typed_resources(String rendering) {
        List<ObjectNode> resources = Violations.rendered(rendering).resources();
        assertTrue(resources.size() >= 10, rendering + " renders only " + resources.size() + " resources");
        for (ObjectNode resource : resources) {
            assertFalse(YamlDocs.text(resource, "apiVersion").isEmpty(), () -> "no apiVersion: " + resource);
            assertFalse(YamlDocs.text(resource, "kind").isEmpty(), () -> "no kind: " + resource);
            assertFalse(YamlDocs.text(resource, "metadata", "name").isEmpty(), () -> "no name: " + resource);
        }
    }

    @Test
    void the_renderings_cover_the_base_and_the_cpu_and_gpu_overlays() {
        assertTrue(RepoLayout.kustomizeRenderings().containsAll(
                List.of("deploy/k8s/base", "deploy/k8s/overlays/cpu", "deploy/k8s/overlays/gpu")));
    }

    @Test
    void every_yaml_file_under_the_kubernetes_tree_is_rendered_or_is_the_secret_template() throws Exception {
        List<Path> yaml;
        try (var files = Files.walk(RepoLayout.path(RepoLayout.K8S))) {
            yaml = files.filter(p -> p.toString().endsWith(".yaml"))
                    .filter(p -> !p.getFileName().toString().equals("kustomization.yaml")).toList();
        }
        for (Path file : yaml) {
            String relative = RepoLayout.relative(file);
            boolean referenced = relative.equals(Manifests.SECRET_TEMPLATE)
                    || referencedByItsKustomization(file);
            assertTrue(referenced, relative + " is neither listed in its kustomization nor the secret template");
        }
    }

    @Test
    void a_manifest_document_that_is_not_a_mapping_is_rejected() {
        assertThrows(IllegalArgumentException.class, () -> YamlDocs.resources("- just\n- a list\n"));
    }

    private static boolean referencedByItsKustomization(Path file) {
        String kustomization = RepoLayout.read(file.getParent().resolve("kustomization.yaml"));
        return kustomization.contains(" " + file.getFileName() + "\n");
    }
}
