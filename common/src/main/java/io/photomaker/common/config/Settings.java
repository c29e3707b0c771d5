package io.photomaker.common.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Typed access to configuration values: command-line overrides first, then environment variables.
 * Every setting has a PM_* name declared once as a {@link Setting}; reading through the declaration applies its
 * default and enforces its bounds. Parse errors name the setting and the bad value.
 */
public final class Settings {
    private final Map<String, String> values;

    private Settings(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** Settings from the process environment, overridden by {@code overrides}. */
    public static Settings fromEnvironment(Map<String, String> overrides) {
        Map<String, String> merged = new HashMap<>(System.getenv());
        merged.putAll(overrides);
        return new Settings(merged);
    }

    /** Settings from exactly the given map (tests, embedded mode). */
    public static Settings of(Map<String, String> values) {
        return new Settings(values);
    }

    /** A copy with {@code more} layered on top. */
    public Settings with(Map<String, String> more) {
        Map<String, String> merged = new HashMap<>(values);
        merged.putAll(more);
        return new Settings(merged);
    }

    public Optional<String> optional(String name) {
        String v = values.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    public String required(String name) {
        return optional(name).orElseThrow(() -> new ConfigException(name + " is required but not set"));
    }

    public String string(String name, String fallback) {
        return optional(name).orElse(fallback);
    }

    public int integer(String name, int fallback, int min, int max) {
        int v = optional(name).map(s -> parseInt(name, s)).orElse(fallback);
        if (v < min || v > max) {
            throw new ConfigException(name + "=" + v + " is outside " + min + ".." + max);
        }
        return v;
    }

    public long longValue(String name, long fallback, long min, long max) {
        long v = optional(name).map(s -> parseLong(name, s)).orElse(fallback);
        if (v < min || v > max) {
            throw new ConfigException(name + "=" + v + " is outside " + min + ".." + max);
        }
        return v;
    }

    public boolean bool(String name, boolean fallback) {
        return optional(name).map(s -> parseBoolean(s).orElseThrow(
                () -> new ConfigException(name + "=" + s + " is not a boolean (true/false)"))).orElse(fallback);
    }

    /** The value of {@code setting}, if set (no default applied). */
    public Optional<String> optional(Setting setting) {
        return optional(setting.name());
    }

    /** The value of {@code setting}; fails naming it when unset. */
    public String required(Setting setting) {
        return required(setting.name());
    }

    /** Text, or the declared default. */
    public String string(Setting setting) {
        return string(setting, declaredDefault(setting));
    }

    /** Text, or {@code computedDefault} for a setting whose default is worked out at start. */
    public String string(Setting setting, String computedDefault) {
        String v = optional(setting.name()).orElse(computedDefault);
        if (setting.type() == Setting.Type.CHOICE && v != null && !setting.accepts(v)) {
            throw new ConfigException(setting.name() + " must be one of " + setting.choices() + ", was " + v);
        }
        return v;
    }

    /** A whole number within the declared bounds, or the declared default. */
    public int integer(Setting setting) {
        return Math.toIntExact(longValue(setting));
    }

    /** A whole number within the declared bounds, or {@code computedDefault}. */
    public int integer(Setting setting, int computedDefault) {
        return Math.toIntExact(longValue(setting, computedDefault));
    }

    /** A whole number within the declared bounds, or the declared default. */
    public long longValue(Setting setting) {
        return longValue(setting, Long.parseLong(declaredDefault(setting)));
    }

    /** A whole number within the declared bounds, or {@code computedDefault}. */
    public long longValue(Setting setting, long computedDefault) {
        requireType(setting, Setting.Type.INTEGER, Setting.Type.SECONDS, Setting.Type.MILLISECONDS);
        return longValue(setting.name(), computedDefault, setting.min(), setting.max());
    }

    /** A duration in seconds within the declared bounds, or the declared default. */
    public Duration seconds(Setting setting) {
        requireType(setting, Setting.Type.SECONDS);
        return Duration.ofSeconds(longValue(setting));
    }

    /** A duration in milliseconds within the declared bounds, or the declared default. */
    public Duration milliseconds(Setting setting) {
        requireType(setting, Setting.Type.MILLISECONDS);
        return Duration.ofMillis(longValue(setting));
    }

    /** true or false, or the declared default. */
    public boolean bool(Setting setting) {
        return bool(setting, Boolean.parseBoolean(declaredDefault(setting)));
    }

    /** true or false, or {@code computedDefault}. */
    public boolean bool(Setting setting, boolean computedDefault) {
        requireType(setting, Setting.Type.BOOLEAN);
        return bool(setting.name(), computedDefault);
    }

    /** true for true/1/yes/on, false for false/0/no/off (any case), empty for anything else. */
    static Optional<Boolean> parseBoolean(String s) {
        return switch (s.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1", "yes", "on" -> Optional.of(true);
            case "false", "0", "no", "off" -> Optional.of(false);
            default -> Optional.empty();
        };
    }

    private static String declaredDefault(Setting setting) {
        return setting.defaultValue().orElseThrow(() -> new IllegalStateException(
                setting.name() + " has no fixed default (" + setting.defaultDoc() + "): pass the computed one"));
    }

    private static void requireType(Setting setting, Setting.Type... types) {
        for (Setting.Type t : types) {
            if (setting.type() == t) {
                return;
            }
        }
        throw new IllegalStateException(setting.name() + " is declared " + setting.type() + ", not read as "
                + java.util.Arrays.toString(types));
    }

    public Duration seconds(String name, long fallbackSeconds, long minSeconds, long maxSeconds) {
        return Duration.ofSeconds(longValue(name, fallbackSeconds, minSeconds, maxSeconds));
    }

    private static int parseInt(String name, String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new ConfigException(name + "=" + s + " is not an integer");
        }
    }

    private static long parseLong(String name, String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw new ConfigException(name + "=" + s + " is not an integer");
        }
    }
}
