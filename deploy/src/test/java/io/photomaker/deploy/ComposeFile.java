package io.photomaker.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A docker-compose file: services with their image, build, environment (env_file then environment,
 * interpolated with the file's defaults, not the caller's shell), volumes and profiles.
 */
final class ComposeFile {

    /** A volume mount: host path or volume name, container path, read-only flag. */
    record Mount(String source, String target, boolean readOnly) {

        boolean isBindMount() {
            return source.startsWith(".") || source.startsWith("/") || source.startsWith("~");
        }
    }

    /** One service of the file. */
    record Service(String name, JsonNode node) {

        ImageRef image() {
            return ImageRef.parse(interpolate(node.path("image").asText()));
        }

        Role role() {
            return Role.of(image());
        }

        Optional<String> dockerfile() {
            JsonNode build = node.path("build");
            return build.isMissingNode() ? Optional.empty()
                    : Optional.of(build.path("dockerfile").asText("Dockerfile"));
        }

        List<String> profiles() {
            List<String> profiles = new ArrayList<>();
            node.path("profiles").forEach(p -> profiles.add(p.asText()));
            return profiles;
        }

        List<String> envFiles() {
            JsonNode files = node.path("env_file");
            List<String> result = new ArrayList<>();
            if (files.isTextual()) {
                result.add(files.asText());
            } else {
                files.forEach(f -> result.add(f.isObject() ? f.path("path").asText() : f.asText()));
            }
            return result;
        }

        /** env_file contents, then `environment` on top, as the container sees them. */
        Map<String, String> environment() {
            Map<String, String> env = new LinkedHashMap<>();
            envFiles().forEach(f -> env.putAll(parseEnvFile(RepoLayout.read(RepoLayout.path(f)))));
            JsonNode environment = node.path("environment");
            if (environment.isObject()) {
                environment.fields().forEachRemaining(e ->
                        env.put(e.getKey(), e.getValue().isNull() ? "" : interpolate(e.getValue().asText())));
            } else {
                environment.forEach(item -> {
                    String[] pair = item.asText().split("=", 2);
                    env.put(pair[0], pair.length == 2 ? interpolate(pair[1]) : "");
                });
            }
            return env;
        }

        List<Mount> mounts() {
            List<Mount> mounts = new ArrayList<>();
            for (JsonNode volume : node.path("volumes")) {
                if (volume.isObject()) {
                    mounts.add(new Mount(interpolate(volume.path("source").asText()), volume.path("target").asText(),
                            volume.path("read_only").asBoolean(false)));
                } else {
                    String[] parts = interpolate(volume.asText()).split(":");
                    boolean ro = parts.length > 2 && List.of(parts[2].split(",")).contains("ro");
                    mounts.add(new Mount(parts[0], parts.length > 1 ? parts[1] : parts[0], ro));
                }
            }
            return mounts;
        }

        /** stop_grace_period in seconds (compose's default is 10 s). */
        int stopGraceSeconds() {
            return Durations.seconds(node.path("stop_grace_period").asText("10s"));
        }

        List<String> dependsOn() {
            JsonNode deps = node.path("depends_on");
            List<String> names = new ArrayList<>();
            if (deps.isObject()) {
                deps.fieldNames().forEachRemaining(names::add);
            } else {
                deps.forEach(d -> names.add(d.asText()));
            }
            return names;
        }
    }

    private static final Pattern INTERPOLATION = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?}");

    private final Map<String, Service> services;

    private ComposeFile(Map<String, Service> services) {
        this.services = services;
    }

    static ComposeFile parse(String yaml) {
        Map<String, Service> services = new LinkedHashMap<>();
        YamlDocs.parseObject(yaml).path("services").fields()
                .forEachRemaining(e -> services.put(e.getKey(), new Service(e.getKey(), e.getValue())));
        if (services.isEmpty()) {
            throw new IllegalArgumentException("compose file defines no services");
        }
        return new ComposeFile(services);
    }

    static ComposeFile load() {
        return parse(RepoLayout.read(RepoLayout.path("docker-compose.yml")));
    }

    List<Service> services() {
        return List.copyOf(services.values());
    }

    Optional<Service> service(String name) {
        return Optional.ofNullable(services.get(name));
    }

    /** ${VAR:-default} and ${VAR-default} become the default; ${VAR} becomes "" (no shell environment). */
    static String interpolate(String text) {
        Matcher m = INTERPOLATION.matcher(text.replace("$$", "\u0000"));
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(m.group(2) == null ? "" : m.group(2)));
        }
        m.appendTail(out);
        return out.toString().replace("\u0000", "$");
    }

    static Map<String, String> parseEnvFile(String text) {
        Map<String, String> env = new LinkedHashMap<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] pair = line.split("=", 2);
            env.put(pair[0].strip(), pair.length == 2 ? pair[1].strip() : "");
        }
        return env;
    }
}
