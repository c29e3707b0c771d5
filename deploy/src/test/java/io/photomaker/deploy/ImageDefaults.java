package io.photomaker.deploy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What our images set by themselves (the final stage's ENV of deploy/docker/Dockerfile.&lt;component&gt;),
 * so a check can tell the effective value of a setting a manifest leaves out.
 */
final class ImageDefaults {

    static final String DOCKER_DIR = "deploy/docker";
    private static final Map<Role, Map<String, String>> ENV_BY_ROLE = new ConcurrentHashMap<>();

    private ImageDefaults() {
    }

    static Path dockerfile(String component) {
        return RepoLayout.path(DOCKER_DIR + "/Dockerfile." + component);
    }

    static Optional<Dockerfile> of(Role role) {
        Path file = dockerfile(role.component());
        return role == Role.OTHER || !Files.isRegularFile(file)
                ? Optional.empty() : Optional.of(Dockerfile.parse(RepoLayout.read(file)));
    }

    static Map<String, String> env(Role role) {
        return ENV_BY_ROLE.computeIfAbsent(role, r -> of(r).map(d -> d.finalStage().env()).orElse(Map.of()));
    }

    /** A container's value for a setting, falling back to its image's default. */
    static Optional<String> effective(ContainerEnvironment container, String name) {
        String value = container.env().get(name);
        return Optional.ofNullable(value != null ? value : env(container.role()).get(name));
    }

    static Optional<Integer> effectiveInt(ContainerEnvironment container, String name) {
        try {
            return effective(container, name).map(String::strip).map(Integer::parseInt);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
