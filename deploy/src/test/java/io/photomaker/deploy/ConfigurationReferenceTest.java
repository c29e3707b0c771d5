package io.photomaker.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.photomaker.cli.SystemSettings;
import io.photomaker.common.config.SettingsReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/CONFIGURATION.md is the rendering of the declared settings, and the code names no PM_* variable that
 * is not declared. {@code -Dphotomaker.writeReference=true} rewrites the file from the declarations.
 */
class ConfigurationReferenceTest {

    static final String REFERENCE = "docs/CONFIGURATION.md";
    /** Lines the gateway prints on start for scripts to read: output, not settings. */
    private static final Set<String> PRINTED_NOT_READ = Set.of("PM_GATEWAY_URL", "PM_GATEWAY_MANAGEMENT_URL");
    private static final Pattern PM_LITERAL = Pattern.compile("\"(PM_[A-Z0-9_]+)[\"=]");

    @Test
    void the_configuration_reference_is_the_rendering_of_the_declared_settings() throws IOException {
        String rendered = SettingsReference.markdown(SystemSettings.COMPONENTS);
        Path file = RepoLayout.path(REFERENCE);
        if (Boolean.getBoolean("photomaker.writeReference")) {
            Files.writeString(file, rendered);
        }
        assertEquals(rendered, RepoLayout.read(file), REFERENCE + " is out of date: regenerate it (see its first lines)");
    }

    @Test
    void every_pm_name_the_sources_spell_is_a_declared_setting() {
        List<String> undeclared = new ArrayList<>();
        for (Path source : ErrorCatalogTest.productionSources()) {
            for (String name : pmLiterals(RepoLayout.read(source))) {
                if (SystemSettings.ALL.find(name).isEmpty() && !PRINTED_NOT_READ.contains(name)) {
                    undeclared.add(RepoLayout.relative(source) + ": " + name);
                }
            }
        }
        assertEquals(List.of(), undeclared, "declare these in CommonSettings, GatewaySettings or WorkerSettings");
    }

    @Test
    void the_literal_scan_finds_names_in_strings_and_messages_only() {
        assertEquals(Set.of("PM_A", "PM_B"), pmLiterals("get(\"PM_A\"); msg(\"PM_B=\" + v); // PM_C"));
    }

    static Set<String> pmLiterals(String source) {
        Set<String> names = new TreeSet<>();
        Matcher m = PM_LITERAL.matcher(source);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }
}
