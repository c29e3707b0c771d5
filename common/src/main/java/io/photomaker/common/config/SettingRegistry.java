package io.photomaker.common.config;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The PM_* settings one component declares, in declaration order. Each module keeps one (common's in
 * {@link CommonSettings}); {@link #of} joins them into the whole system's list, which rejects a name declared
 * twice. Declaring methods return the {@link Setting} so a module keeps it in a constant next to its siblings.
 */
public final class SettingRegistry {
    private final String component;
    private final Map<String, Setting> settings = new LinkedHashMap<>();

    public SettingRegistry(String component) {
        this.component = component;
    }

    /** The settings of several components together; a name declared by two of them is an error. */
    public static SettingRegistry of(String component, Collection<SettingRegistry> parts) {
        SettingRegistry all = new SettingRegistry(component);
        parts.forEach(p -> p.all().forEach(all::add));
        return all;
    }

    /** A whole number in [min, max] with a fixed default. */
    public Setting integer(String name, long fallback, long min, long max, String doc) {
        return number(name, Setting.Type.INTEGER, fallback, min, max, doc);
    }

    /** A whole number in [min, max] whose default is worked out at start ({@code defaultDoc} says how). */
    public Setting integerComputed(String name, String defaultDoc, long min, long max, String doc) {
        return add(new Setting(name, Setting.Type.INTEGER, Optional.empty(), defaultDoc, min, max, List.of(),
                component, doc));
    }

    /** A duration in whole seconds. */
    public Setting seconds(String name, long fallback, long min, long max, String doc) {
        return number(name, Setting.Type.SECONDS, fallback, min, max, doc);
    }

    /** A duration in whole milliseconds. */
    public Setting milliseconds(String name, long fallback, long min, long max, String doc) {
        return number(name, Setting.Type.MILLISECONDS, fallback, min, max, doc);
    }

    /** true or false with a fixed default. */
    public Setting bool(String name, boolean fallback, String doc) {
        return add(new Setting(name, Setting.Type.BOOLEAN, Optional.of(Boolean.toString(fallback)),
                Boolean.toString(fallback), null, null, List.of(), component, doc));
    }

    /** true or false whose default is worked out at start. */
    public Setting boolComputed(String name, String defaultDoc, String doc) {
        return add(new Setting(name, Setting.Type.BOOLEAN, Optional.empty(), defaultDoc, null, null, List.of(),
                component, doc));
    }

    /** Text; {@code fallback} null when there is no default (then {@code defaultDoc} says what unset means). */
    public Setting string(String name, String fallback, String defaultDoc, String doc) {
        return add(new Setting(name, Setting.Type.STRING, Optional.ofNullable(fallback), defaultDoc, null, null,
                List.of(), component, doc));
    }

    /** A secret with no default. */
    public Setting secret(String name, String doc) {
        return add(new Setting(name, Setting.Type.SECRET, Optional.empty(), "none", null, null, List.of(),
                component, doc));
    }

    /** A path with no default. */
    public Setting path(String name, String defaultDoc, String doc) {
        return add(new Setting(name, Setting.Type.PATH, Optional.empty(), defaultDoc, null, null, List.of(),
                component, doc));
    }

    /** One of {@code choices}; {@code fallback} null when the default is worked out at start. */
    public Setting choice(String name, String fallback, String defaultDoc, List<String> choices, String doc) {
        return add(new Setting(name, Setting.Type.CHOICE, Optional.ofNullable(fallback), defaultDoc, null, null,
                choices, component, doc));
    }

    /** Every declared setting, in declaration order. */
    public List<Setting> all() {
        return List.copyOf(settings.values());
    }

    /** The setting called {@code name}, if declared here. */
    public Optional<Setting> find(String name) {
        return Optional.ofNullable(settings.get(name));
    }

    public String component() {
        return component;
    }

    private Setting number(String name, Setting.Type type, long fallback, long min, long max, String doc) {
        if (fallback < min || fallback > max) {
            throw new IllegalArgumentException(name + ": default " + fallback + " is outside " + min + ".." + max);
        }
        return add(new Setting(name, type, Optional.of(Long.toString(fallback)), Long.toString(fallback), min, max,
                List.of(), component, doc));
    }

    private Setting add(Setting s) {
        if (settings.putIfAbsent(s.name(), s) != null) {
            throw new IllegalArgumentException(s.name() + " is declared twice");
        }
        return s;
    }
}
