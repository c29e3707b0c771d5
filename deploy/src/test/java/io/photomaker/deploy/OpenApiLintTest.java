package io.photomaker.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The gateway's API document passes Redocly CLI's recommended rules (redocly.yaml at the root) with no
 * error and no warning. Needs npx (Node.js) and the npm registry; skipped where npx is missing.
 */
class OpenApiLintTest {
    static final String REDOCLY = "@redocly/cli@2.77.0";
    static final String DOCUMENT = "gateway/src/main/resources/openapi.json";
    private static final Pattern PROBLEM = Pattern.compile("(?m)^\\s*\\d+:\\d+\\s+(warning|error)\\s");

    @Test
    void the_api_document_lints_clean() throws Exception {
        Path npx = ExternalTool.find("npx", "NPX_EXECUTABLE").orElse(null);
        Assumptions.assumeTrue(npx != null, "npx is not on PATH");
        ExternalTool.Result result = ExternalTool.run(List.of(npx.toString(), "--yes", REDOCLY, "lint", DOCUMENT,
                "--format=stylish"), 300);
        assertEquals(0, result.exitCode(), result.output());
        // stylish output: one "line:column  warning|error  rule  message" line per problem, then "You have N ..."
        assertFalse(PROBLEM.matcher(result.output()).find() || result.output().contains("You have"), result.output());
    }
}
