package io.photomaker.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads YAML (multi-document) and JSON files into Jackson trees. */
final class YamlDocs {

    static final YAMLMapper YAML = new YAMLMapper();
    static final ObjectMapper JSON = new ObjectMapper();

    private YamlDocs() {
    }

    /** All non-empty documents of a YAML text, in order. */
    static List<JsonNode> parseAll(String text) {
        try (var docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(text)) {
            List<JsonNode> result = new ArrayList<>();
            while (docs.hasNextValue()) {
                JsonNode doc = docs.nextValue();
                if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                    result.add(doc);
                }
            }
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("invalid YAML: " + e.getMessage(), e);
        }
    }

    static List<JsonNode> readAll(Path file) {
        try {
            return parseAll(RepoLayout.read(file));
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException(file + ": " + e.getMessage(), e.getCause());
        }
    }

    /** The single object document of a YAML text. */
    static ObjectNode parseObject(String text) {
        List<JsonNode> docs = parseAll(text);
        if (docs.size() != 1 || !docs.get(0).isObject()) {
            throw new IllegalArgumentException("expected one YAML mapping, found " + docs.size() + " documents");
        }
        return (ObjectNode) docs.get(0);
    }

    static ObjectNode readObject(Path file) {
        return parseObject(RepoLayout.read(file));
    }

    static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("invalid JSON in " + file + ": " + e.getMessage(), e);
        }
    }

    /** The object documents of a multi-document YAML text, as Kubernetes-style resources. */
    static List<ObjectNode> resources(String text) {
        List<ObjectNode> result = new ArrayList<>();
        for (JsonNode doc : parseAll(text)) {
            if (!doc.isObject()) {
                throw new IllegalArgumentException("a manifest document is not a mapping: " + doc);
            }
            result.add((ObjectNode) doc);
        }
        return result;
    }

    /** Text of a field, or "" when absent. */
    static String text(JsonNode node, String... path) {
        JsonNode at = at(node, path);
        return at.isMissingNode() || at.isNull() ? "" : at.asText();
    }

    static JsonNode at(JsonNode node, String... path) {
        JsonNode at = node;
        for (String field : path) {
            at = at.path(field);
        }
        return at;
    }
}
