package io.photomaker.deploy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/** Checks that credentials never ship in the manifests: the template holds placeholders, renders hold no Secret. */
final class SecretChecks {

    static final String PLACEHOLDER = "REPLACE_WITH_[A-Za-z0-9_]+";

    private SecretChecks() {
    }

    static List<String> placeholdersOnly(List<ObjectNode> template) {
        List<String> violations = new ArrayList<>();
        for (ObjectNode secret : template) {
            String where = "Secret " + YamlDocs.text(secret, "metadata", "name");
            if (!"Secret".equals(secret.path("kind").asText())) {
                violations.add(where + ": the secret template holds a " + secret.path("kind").asText());
            }
            if (secret.has("data")) {
                violations.add(where + ": uses base64 `data`; placeholders belong in stringData");
            }
            secret.path("stringData").fields().forEachRemaining(e -> {
                if (!e.getValue().asText().matches(PLACEHOLDER)) {
                    violations.add(where + ": " + e.getKey() + " holds a value, not a REPLACE_WITH_ placeholder");
                }
            });
        }
        return violations;
    }

    /** An apply must never overwrite real credentials: no rendering contains a Secret. */
    static List<String> noSecretRendered(Manifests manifests) {
        return manifests.ofKind("Secret").stream()
                .map(s -> manifests + ": renders Secret " + YamlDocs.text(s, "metadata", "name")
                        + " (credentials are applied out of band)")
                .toList();
    }
}
