package io.photomaker.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The checks read overlays through our own kustomize renderer (the subset the repository uses), so
 * the renderer itself is tested here, and compared with {@code kubectl kustomize} where kubectl exists.
 */
class KustomizationTest {

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: w}
            spec:
              template:
                spec:
                  nodeSelector: {gpu: "true"}
                  containers:
                    - name: worker
                      image: photomaker/worker:1
                      env: [{name: A, value: "1"}, {name: B, value: "2"}]
                      resources: {limits: {memory: 1Gi, nvidia.com/gpu: 1}}
                    - name: sidecar
                      image: busybox:1.36
            """;

    @Test
    void strategic_merge_merges_env_by_name_and_deletes_keys_set_to_null() {
        ObjectNode patched = StrategicMergePatch.apply(YamlDocs.parseObject(DEPLOYMENT), YamlDocs.parseObject("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: w}
                spec:
                  template:
                    spec:
                      nodeSelector: null
                      containers:
                        - name: worker
                          env: [{name: B, value: "3"}, {name: C, value: "4"}]
                          resources: {limits: {nvidia.com/gpu: null}}
                """));
        JsonNode spec = patched.at("/spec/template/spec");
        assertFalse(spec.has("nodeSelector"));
        assertEquals(2, spec.path("containers").size(), "the sidecar must survive the merge");
        JsonNode worker = spec.path("containers").get(0);
        assertEquals(List.of("A=1", "B=3", "C=4"), envPairs(worker));
        assertEquals("{\"memory\":\"1Gi\"}", worker.at("/resources/limits").toString());
        assertEquals("photomaker/worker:1", worker.path("image").asText());
    }

    @Test
    void a_list_element_marked_for_deletion_is_removed() {
        ObjectNode patched = StrategicMergePatch.apply(YamlDocs.parseObject(DEPLOYMENT), YamlDocs.parseObject("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: w}
                spec: {template: {spec: {containers: [{name: sidecar, $patch: delete}]}}}
                """));
        assertEquals(1, patched.at("/spec/template/spec/containers").size());
    }

    @Test
    void lists_inside_custom_resources_are_replaced_not_merged() {
        ObjectNode scaled = YamlDocs.parseObject("""
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: s}
                spec: {triggers: [{name: a, type: kafka}, {name: b, type: cpu}]}
                """);
        ObjectNode patched = StrategicMergePatch.apply(scaled, YamlDocs.parseObject("""
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: s}
                spec: {triggers: [{name: a, type: kafka, metadata: {lagThreshold: "5"}}]}
                """));
        assertEquals(1, patched.at("/spec/triggers").size());
    }

    @Test
    void an_unsupported_patch_directive_fails_instead_of_being_ignored() {
        ObjectNode patch = YamlDocs.parseObject("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: w}
                spec: {template: {spec: {containers: [{name: worker, $retainKeys: [image]}]}}}
                """);
        assertThrows(IllegalArgumentException.class,
                () -> StrategicMergePatch.apply(YamlDocs.parseObject(DEPLOYMENT), patch));
    }

    @Test
    void images_namespace_and_resource_deletion_are_applied(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("deployment.yaml"), DEPLOYMENT);
        Files.writeString(dir.resolve("pvc.yaml"), "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: m}\n");
        Files.writeString(dir.resolve("ns.yaml"), "apiVersion: v1\nkind: Namespace\nmetadata: {name: team}\n");
        Files.writeString(dir.resolve("drop.yaml"),
                "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: m}\n$patch: delete\n");
        Files.writeString(dir.resolve("kustomization.yaml"), """
                namespace: team
                resources: [ns.yaml, deployment.yaml, pvc.yaml]
                patches: [{path: drop.yaml}]
                images: [{name: photomaker/worker, newName: registry.example/photomaker/worker, newTag: "2"}]
                """);
        List<ObjectNode> rendered = Kustomization.render(dir);
        assertEquals(List.of("Namespace", "Deployment"), rendered.stream().map(r -> r.path("kind").asText()).toList());
        assertFalse(rendered.get(0).path("metadata").has("namespace"), "a Namespace is cluster-scoped");
        assertEquals("team", rendered.get(1).at("/metadata/namespace").asText());
        JsonNode containers = rendered.get(1).at("/spec/template/spec/containers");
        assertEquals("registry.example/photomaker/worker:2", containers.get(0).path("image").asText());
        assertEquals("busybox:1.36", containers.get(1).path("image").asText());
    }

    @Test
    void a_patch_that_matches_no_resource_fails(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("deployment.yaml"), DEPLOYMENT);
        Files.writeString(dir.resolve("patch.yaml"), "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: typo}\n");
        Files.writeString(dir.resolve("kustomization.yaml"), "resources: [deployment.yaml]\npatches: [{path: patch.yaml}]\n");
        assertThrows(IllegalArgumentException.class, () -> Kustomization.render(dir));
    }

    @Test
    void a_kustomization_field_the_renderer_does_not_implement_fails(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("deployment.yaml"), DEPLOYMENT);
        Files.writeString(dir.resolve("kustomization.yaml"), "resources: [deployment.yaml]\nnamePrefix: x-\n");
        assertThrows(IllegalArgumentException.class, () -> Kustomization.render(dir));
    }

    @ParameterizedTest
    @MethodSource("io.photomaker.deploy.Violations#renderings")
    void the_renderer_agrees_with_kubectl_kustomize(String rendering) throws Exception {
        Optional<Path> kubectl = ExternalTool.find("kubectl", "KUBECTL");
        assumeTrue(kubectl.isPresent(), "kubectl not installed: comparison skipped");
        ExternalTool.Result result = ExternalTool.run(List.of(kubectl.get().toString(), "kustomize", rendering), 120);
        assertEquals(0, result.exitCode(), result.output());
        Map<String, JsonNode> expected = byIdentity(YamlDocs.resources(result.output()));
        Map<String, JsonNode> actual = byIdentity(Violations.rendered(rendering).resources());
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((id, resource) -> assertEquals(resource, actual.get(id), id + " differs from kubectl's"));
    }

    private static Map<String, JsonNode> byIdentity(List<ObjectNode> resources) {
        Map<String, JsonNode> byId = new TreeMap<>();
        for (ObjectNode resource : resources) {
            String id = resource.path("kind").asText() + "/" + YamlDocs.text(resource, "metadata", "namespace")
                    + "/" + YamlDocs.text(resource, "metadata", "name");
            assertTrue(byId.put(id, normalised(resource)) == null, "duplicate " + id);
        }
        return byId;
    }

    /** Named list elements sorted by name: their order carries no meaning to Kubernetes. */
    private static JsonNode normalised(JsonNode node) {
        if (node.isObject()) {
            ObjectNode copy = YamlDocs.JSON.createObjectNode();
            node.fields().forEachRemaining(e -> copy.set(e.getKey(), normalised(e.getValue())));
            return copy;
        }
        if (node.isArray()) {
            List<JsonNode> items = new ArrayList<>();
            node.forEach(item -> items.add(normalised(item)));
            if (items.stream().allMatch(i -> i.isObject() && i.has("name"))) {
                items.sort(Comparator.comparing(i -> i.path("name").asText()));
            }
            ArrayNode copy = YamlDocs.JSON.createArrayNode();
            items.forEach(copy::add);
            return copy;
        }
        return node;
    }

    private static List<String> envPairs(JsonNode container) {
        List<String> pairs = new ArrayList<>();
        container.path("env").forEach(e -> pairs.add(e.path("name").asText() + "=" + e.path("value").asText()));
        return pairs.stream().sorted().toList();
    }
}
