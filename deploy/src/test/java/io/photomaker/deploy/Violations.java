package io.photomaker.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/** Assertions over violation lists, and the renderings parameterised tests run over. */
final class Violations {

    private static final Map<String, Manifests> RENDERED = new ConcurrentHashMap<>();

    private Violations() {
    }

    static void assertNone(List<String> violations) {
        assertTrue(violations.isEmpty(), () -> "violations:\n  " + String.join("\n  ", violations));
    }

    /** The broken input is caught, and by the check meant for it (a violation mentioning the fragment). */
    static void assertFlags(List<String> violations, String fragment) {
        assertTrue(violations.stream().anyMatch(v -> v.contains(fragment)),
                () -> "expected a violation mentioning '" + fragment + "', got:\n  " + String.join("\n  ", violations));
    }

    /** deploy/k8s/base and every overlay, for @MethodSource. */
    static Stream<String> renderings() {
        return RepoLayout.kustomizeRenderings().stream();
    }

    static Manifests rendered(String rendering) {
        return RENDERED.computeIfAbsent(rendering, Manifests::render);
    }
}
