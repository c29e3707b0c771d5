package io.photomaker.deploy;

import io.photomaker.cli.SystemSettings;
import io.photomaker.common.config.Setting;
import io.photomaker.common.config.SettingRegistry;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The PM_* settings the code declares ({@link SystemSettings}), with the component that reads each: common
 * settings may be given to every container, gateway and worker ones only to that role.
 */
final class KnownEnvironment {

    private final SettingRegistry settings;

    private KnownEnvironment(SettingRegistry settings) {
        this.settings = settings;
    }

    /** Every setting the code declares. */
    static KnownEnvironment load() {
        return of(SystemSettings.ALL);
    }

    static KnownEnvironment of(SettingRegistry settings) {
        return new KnownEnvironment(settings);
    }

    /** Settings a container of this role may be given: common ones, plus its own component's. */
    Set<String> allowedFor(Role role) {
        Set<String> allowed = new TreeSet<>();
        for (Setting s : settings.all()) {
            if (s.component().equals("common") || role == Role.OTHER || s.component().equals(role.component())) {
                allowed.add(s.name());
            }
        }
        return allowed;
    }

    /** The declaration of {@code name}, if the code has one. */
    Optional<Setting> setting(String name) {
        return settings.find(name);
    }
}
