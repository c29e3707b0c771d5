package io.photomaker.common.config;

import java.util.List;
import java.util.Locale;

/**
 * Renders declared settings as the configuration reference (docs/CONFIGURATION.md): one Markdown table per
 * component. The file in the repository is this text; a test fails when they differ.
 */
public final class SettingsReference {

    private SettingsReference() {
    }

    /** The whole reference for {@code registries}, in their order. */
    public static String markdown(List<SettingRegistry> registries) {
        StringBuilder out = new StringBuilder();
        out.append("# Configuration reference\n\n")
                .append("Every process is configured by `PM_*` environment variables (the `./photomaker` launcher also\n")
                .append("takes some as flags). This file is generated from the declarations in the code (`CommonSettings`,\n")
                .append("`GatewaySettings`, `WorkerSettings`); a test fails when it differs from them. Regenerate it with\n")
                .append("`mvn -B -o -pl deploy -am test -Dtest=ConfigurationReferenceTest -Dsurefire.failIfNoSpecifiedTests=false"
                        + " -Dphotomaker.writeReference=true`.\n")
                .append("Values outside a setting's range stop the process at start with a message naming the setting.\n");
        for (SettingRegistry registry : registries) {
            out.append("\n## ").append(title(registry.component())).append("\n\n")
                    .append("| Setting | Type | Default | Range | Meaning |\n")
                    .append("|---|---|---|---|---|\n");
            for (Setting s : registry.all()) {
                out.append("| `").append(s.name()).append("` | ").append(s.type().name().toLowerCase(Locale.ROOT))
                        .append(" | ").append(cell(s.defaultDoc())).append(" | ").append(cell(s.range()))
                        .append(" | ").append(cell(s.doc())).append(" |\n");
            }
        }
        return out.toString();
    }

    private static String title(String component) {
        return switch (component) {
            case "common" -> "Every process (common)";
            case "gateway" -> "Gateway";
            case "worker" -> "Worker";
            default -> component;
        };
    }

    private static String cell(String text) {
        return text.isEmpty() ? "" : text.replace("|", "\\|").replace("\n", " ");
    }
}
