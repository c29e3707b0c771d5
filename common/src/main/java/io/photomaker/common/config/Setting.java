package io.photomaker.common.config;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One PM_* environment setting, declared once (in the manner of Kafka's {@code ConfigDef}): its name, value
 * type, default, bounds, the component that reads it and a sentence for the operator. {@link Settings} reads
 * values through it and enforces the bounds; the configuration reference (docs/CONFIGURATION.md) and the
 * deployment checks are made from the declarations in {@link SettingRegistry}s.
 *
 * @param name the environment variable, e.g. {@code PM_HTTP_PORT}
 * @param type how the value is written
 * @param defaultValue the value when unset, as written in the environment; empty when there is none or it is
 *     worked out at start (then {@code defaultDoc} says how)
 * @param defaultDoc the default as the reference shows it
 * @param min smallest allowed number (numeric types), else null
 * @param max largest allowed number (numeric types), else null
 * @param choices the allowed words of a {@link Type#CHOICE}, else empty
 * @param component who reads it: common (every process), gateway, worker or cli
 * @param doc what it does
 */
public record Setting(String name, Type type, Optional<String> defaultValue, String defaultDoc, Long min, Long max,
                      List<String> choices, String component, String doc) {

    /** How a value is written in the environment. */
    public enum Type {
        /** Free text (host names, URLs, lists with their own syntax). */
        STRING,
        /** A secret: text never shown in logs or the reference's default column. */
        SECRET,
        /** A whole number within [min, max]. */
        INTEGER,
        /** A whole number of seconds within [min, max]. */
        SECONDS,
        /** A whole number of milliseconds within [min, max]. */
        MILLISECONDS,
        /** true/false (also 1/0, yes/no, on/off). */
        BOOLEAN,
        /** One of {@link #choices()}. */
        CHOICE,
        /** A file-system path. */
        PATH
    }

    public Setting {
        Objects.requireNonNull(name, "name");
        if (!name.matches("PM_[A-Z0-9_]+")) {
            throw new IllegalArgumentException("a setting name is PM_ and upper-case words, was " + name);
        }
        Objects.requireNonNull(type, name);
        Objects.requireNonNull(defaultValue, name);
        choices = List.copyOf(choices);
        if (isNumeric(type) != (min != null && max != null)) {
            throw new IllegalArgumentException(name + ": numeric settings and only they have bounds");
        }
        if (isNumeric(type) && min > max) {
            throw new IllegalArgumentException(name + ": min " + min + " is above max " + max);
        }
        if ((type == Type.CHOICE) == choices.isEmpty()) {
            throw new IllegalArgumentException(name + ": choice settings and only they list choices");
        }
        if (doc == null || doc.isBlank()) {
            throw new IllegalArgumentException(name + " needs a description");
        }
    }

    /** The fixed default of a numeric setting. */
    public long defaultNumber() {
        if (!isNumeric(type) || defaultValue.isEmpty()) {
            throw new IllegalStateException(name + " has no fixed numeric default");
        }
        return Long.parseLong(defaultValue.get());
    }

    /** Whether values are numbers with bounds. */
    public static boolean isNumeric(Type type) {
        return type == Type.INTEGER || type == Type.SECONDS || type == Type.MILLISECONDS;
    }

    /** Whether {@code value} (as written in the environment) is acceptable: parses and lies within bounds. */
    public boolean accepts(String value) {
        String v = value.strip();
        return switch (type) {
            case INTEGER, SECONDS, MILLISECONDS -> v.matches("-?\\d{1,18}") && Long.parseLong(v) >= min
                    && Long.parseLong(v) <= max;
            case BOOLEAN -> Settings.parseBoolean(v).isPresent();
            case CHOICE -> choices.stream().anyMatch(v::equalsIgnoreCase);
            case STRING, SECRET, PATH -> true;
        };
    }

    /** The bounds or choices as the reference shows them, empty when there are none. */
    public String range() {
        if (isNumeric(type)) {
            return min + ".." + max;
        }
        return type == Type.CHOICE ? String.join(", ", choices) : "";
    }
}
