package io.photomaker.deploy;

import java.util.Optional;

/**
 * A container of rendered manifests together with the environment it gets.
 *
 * @param container the container and its pod
 * @param env its resolved environment
 */
record ConfiguredContainer(PodContainer container, ContainerEnvironment env) {

    String where() {
        return container.where();
    }

    Role role() {
        return container.role();
    }

    /** The container's value for a setting, or its image's default. */
    Optional<String> setting(String name) {
        return ImageDefaults.effective(env, name);
    }

    Optional<Integer> intSetting(String name) {
        return ImageDefaults.effectiveInt(env, name);
    }
}
