package io.photomaker.common.config;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Typed access to configuration values: command-line overrides first, then environment variables.
 * Every setting has a PM_* name; parse errors name the setting and the bad value.
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
        return optional(name).map(s -> switch (s.toLowerCase()) {
            case "true", "1", "yes", "on" -> true;
            case "false", "0", "no", "off" -> false;
            default -> throw new ConfigException(name + "=" + s + " is not a boolean (true/false)");
        }).orElse(fallback);
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
