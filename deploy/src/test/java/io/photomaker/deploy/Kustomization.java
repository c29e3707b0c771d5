package io.photomaker.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * Renders a kustomization directory the way {@code kubectl kustomize} does, for the fields this
 * repository uses: resources (files and directories), patches (strategic merge, by the patch's own
 * kind and name), images and namespace. Any other field fails the render, so a new kustomize feature
 * cannot be silently ignored by the checks; KustomizationTest compares against kubectl when present.
 */
final class Kustomization {

    private static final Set<String> SUPPORTED_FIELDS =
            Set.of("apiVersion", "kind", "resources", "patches", "images", "namespace");
    private static final Set<String> CLUSTER_SCOPED_KINDS = Set.of(
            "Namespace", "ClusterRole", "ClusterRoleBinding", "PersistentVolume", "StorageClass",
            "CustomResourceDefinition", "PriorityClass", "IngressClass");

    private Kustomization() {
    }

    static List<ObjectNode> render(Path dir) {
        Path file = dir.resolve("kustomization.yaml");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no kustomization.yaml in " + dir);
        }
        ObjectNode kustomization = YamlDocs.readObject(file);
        kustomization.fieldNames().forEachRemaining(field -> {
            if (!SUPPORTED_FIELDS.contains(field)) {
                throw new IllegalArgumentException(file + ": kustomization field '" + field + "' is not supported");
            }
        });
        List<ObjectNode> resources = new ArrayList<>();
        for (JsonNode entry : kustomization.path("resources")) {
            Path target = dir.resolve(entry.asText()).normalize();
            resources.addAll(Files.isDirectory(target) ? render(target) : YamlDocs.resources(RepoLayout.read(target)));
        }
        for (JsonNode patch : kustomization.path("patches")) {
            resources = applyPatch(resources, dir, patch);
        }
        for (JsonNode image : kustomization.path("images")) {
            resources.forEach(resource -> retag(resource, image));
        }
        String namespace = kustomization.path("namespace").asText("");
        if (!namespace.isEmpty()) {
            resources.stream()
                    .filter(r -> !CLUSTER_SCOPED_KINDS.contains(r.path("kind").asText()))
                    .forEach(r -> r.withObjectProperty("metadata").put("namespace", namespace));
        }
        return resources;
    }

    private static List<ObjectNode> applyPatch(List<ObjectNode> resources, Path dir, JsonNode entry) {
        if (entry.has("target") || entry.has("patch") || !entry.has("path")) {
            throw new IllegalArgumentException(dir + ": only `patches: - path: file` entries are supported: " + entry);
        }
        ObjectNode patch = YamlDocs.readObject(dir.resolve(entry.get("path").asText()));
        String kind = patch.path("kind").asText();
        String name = YamlDocs.text(patch, "metadata", "name");
        List<ObjectNode> result = new ArrayList<>();
        boolean matched = false;
        for (ObjectNode resource : resources) {
            boolean target = kind.equals(resource.path("kind").asText())
                    && name.equals(YamlDocs.text(resource, "metadata", "name"));
            matched |= target;
            if (!target) {
                result.add(resource);
            } else if (!StrategicMergePatch.deletesResource(patch)) {
                result.add(StrategicMergePatch.apply(resource, patch));
            }
        }
        if (!matched) {
            throw new IllegalArgumentException(dir + ": patch " + entry.get("path").asText()
                    + " matches no resource " + kind + "/" + name);
        }
        return result;
    }

    /** kustomize's images transformer: every container image whose name matches gets the new name/tag. */
    private static void retag(JsonNode node, JsonNode image) {
        if (node.isObject()) {
            Iterator<String> names = node.fieldNames();
            List<String> fields = new ArrayList<>();
            names.forEachRemaining(fields::add);
            for (String field : fields) {
                JsonNode child = node.get(field);
                if ((field.equals("containers") || field.equals("initContainers")) && child.isArray()) {
                    retagContainers((ArrayNode) child, image);
                } else {
                    retag(child, image);
                }
            }
        } else if (node.isArray()) {
            node.forEach(child -> retag(child, image));
        }
    }

    private static void retagContainers(ArrayNode containers, JsonNode image) {
        String name = image.path("name").asText();
        for (JsonNode container : containers) {
            ImageRef ref = ImageRef.parse(container.path("image").asText());
            if (!ref.matchesName(name)) {
                continue;
            }
            String repository = image.path("newName").asText(ref.repository());
            String tag = image.path("newTag").asText(ref.tag());
            String digest = image.path("digest").asText("");
            String rendered = !digest.isEmpty() ? repository + "@" + digest
                    : tag.isEmpty() ? repository : repository + ":" + tag;
            ((ObjectNode) container).put("image", rendered);
        }
    }
}
