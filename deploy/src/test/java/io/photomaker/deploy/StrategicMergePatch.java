package io.photomaker.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Applies a Kubernetes strategic-merge patch, the subset kustomize patches in this repository use:
 * maps merge, {@code key: null} deletes, lists of built-in types merge by their merge key
 * (containers by name, volumeMounts by mountPath, ...), {@code $patch: delete} removes a list element,
 * every other list is replaced. Any other directive is rejected rather than silently misapplied.
 */
final class StrategicMergePatch {

    static final String DIRECTIVE = "$patch";

    private static final Map<String, String> MERGE_KEYS = Map.of(
            "containers", "name",
            "initContainers", "name",
            "env", "name",
            "volumes", "name",
            "volumeMounts", "mountPath",
            "ports", "containerPort",
            "imagePullSecrets", "name");

    /** API groups whose schemas kustomize knows (so their merge keys apply); CRD lists are replaced. */
    private static final Set<String> BUILT_IN_GROUPS = Set.of(
            "", "apps", "batch", "autoscaling", "policy", "networking.k8s.io", "rbac.authorization.k8s.io");

    private StrategicMergePatch() {
    }

    /** True when the patch document asks for the whole resource to be deleted. */
    static boolean deletesResource(ObjectNode patch) {
        return "delete".equals(patch.path(DIRECTIVE).asText(null));
    }

    /** A new tree: {@code target} with {@code patch} applied. */
    static ObjectNode apply(ObjectNode target, ObjectNode patch) {
        return mergeObject(target, patch, isBuiltIn(target.path("apiVersion").asText()));
    }

    static boolean isBuiltIn(String apiVersion) {
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        return BUILT_IN_GROUPS.contains(group);
    }

    private static ObjectNode mergeObject(ObjectNode target, ObjectNode patch, boolean builtIn) {
        ObjectNode result = target.deepCopy();
        Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String key = field.getKey();
            JsonNode value = field.getValue();
            if (key.startsWith("$")) {
                rejectUnlessDelete(key, value);
                continue;
            }
            JsonNode current = result.get(key);
            if (value.isNull()) {
                result.remove(key);
            } else if (value.isObject() && current != null && current.isObject()) {
                result.set(key, mergeObject((ObjectNode) current, (ObjectNode) value, builtIn));
            } else if (value.isArray() && current != null && current.isArray() && builtIn
                    && MERGE_KEYS.containsKey(key)) {
                result.set(key, mergeList((ArrayNode) current, (ArrayNode) value, MERGE_KEYS.get(key), builtIn));
            } else {
                result.set(key, withoutDirectives(value));
            }
        }
        return result;
    }

    private static ArrayNode mergeList(ArrayNode target, ArrayNode patch, String mergeKey, boolean builtIn) {
        ArrayNode result = target.deepCopy();
        for (JsonNode element : patch) {
            if (!element.isObject() || !element.has(mergeKey)) {
                throw new IllegalArgumentException("list element without merge key '" + mergeKey + "': " + element);
            }
            int index = indexOf(result, mergeKey, element.get(mergeKey));
            if (deletesResource((ObjectNode) element)) {
                if (index >= 0) {
                    result.remove(index);
                }
            } else if (index >= 0) {
                result.set(index, mergeObject((ObjectNode) result.get(index), (ObjectNode) element, builtIn));
            } else {
                result.add(withoutDirectives(element));
            }
        }
        return result;
    }

    private static int indexOf(ArrayNode list, String mergeKey, JsonNode keyValue) {
        for (int i = 0; i < list.size(); i++) {
            if (keyValue.equals(list.get(i).get(mergeKey))) {
                return i;
            }
        }
        return -1;
    }

    private static void rejectUnlessDelete(String key, JsonNode value) {
        if (!DIRECTIVE.equals(key) || !"delete".equals(value.asText())) {
            throw new IllegalArgumentException("unsupported strategic-merge directive " + key + ": " + value);
        }
    }

    private static JsonNode withoutDirectives(JsonNode value) {
        if (value.isObject()) {
            ObjectNode copy = ((ObjectNode) value).deepCopy();
            copy.remove(DIRECTIVE);
            copy.fieldNames().forEachRemaining(name -> {
                if (name.startsWith("$")) {
                    throw new IllegalArgumentException("unsupported strategic-merge directive " + name);
                }
            });
            return copy;
        }
        return value;
    }
}
