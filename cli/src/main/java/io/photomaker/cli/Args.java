package io.photomaker.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Command-line options: {@code --name value}, {@code --name=value}, repeated options and bare flags. Only the
 * names a command declares are accepted; anything else that looks like an option is a usage error.
 */
public final class Args {
    private final Map<String, List<String>> options = new HashMap<>();
    private final List<String> positional = new ArrayList<>();

    private Args() {
    }

    /**
     * Parses {@code argv}; names in {@code flags} take no value, names in {@code options} take one.
     *
     * @throws UsageException for an option neither set names, or an option without its value
     */
    public static Args parse(List<String> argv, Set<String> flags, Set<String> options) {
        Args a = new Args();
        for (int i = 0; i < argv.size(); i++) {
            String s = argv.get(i);
            if (s.startsWith("--")) {
                int eq = s.indexOf('=');
                String name = eq >= 0 ? s.substring(2, eq) : s.substring(2);
                if (!flags.contains(name) && !options.contains(name)) {
                    throw new UsageException("unknown option --" + name + known(flags, options));
                }
                String value;
                if (eq >= 0) {
                    value = s.substring(eq + 1);
                } else if (flags.contains(name)) {
                    value = "true";
                } else if (i + 1 < argv.size()) {
                    value = argv.get(++i);
                } else {
                    throw new UsageException("--" + name + " needs a value");
                }
                a.options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else if (s.length() > 1 && s.startsWith("-") && !s.matches("-[0-9.].*")) {
                throw new UsageException("unknown option " + s + known(flags, options));
            } else {
                a.positional.add(s);
            }
        }
        return a;
    }

    private static String known(Set<String> flags, Set<String> options) {
        var names = new java.util.TreeSet<String>();
        flags.forEach(f -> names.add("--" + f));
        options.forEach(o -> names.add("--" + o));
        return names.isEmpty() ? " (this command takes no options)" : "; valid: " + String.join(" ", names);
    }

    public Optional<String> get(String name) {
        List<String> v = options.get(name);
        return v == null ? Optional.empty() : Optional.of(v.get(v.size() - 1));
    }

    public String get(String name, String fallback) {
        return get(name).orElse(fallback);
    }

    public long getLong(String name, long fallback) {
        String v = get(name).orElse(null);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be an integer, was " + v);
        }
    }

    public int getInt(String name, int fallback) {
        String v = get(name).orElse(null);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be an integer, was " + v);
        }
    }

    public boolean flag(String name) {
        return get(name).map(Boolean::parseBoolean).orElse(false);
    }

    public List<String> all(String name) {
        return options.getOrDefault(name, List.of());
    }

    public List<String> positional() {
        return positional;
    }

    /** Thrown for wrong command-line usage; the launcher prints the message and exits with 2. */
    public static final class UsageException extends RuntimeException {
        public UsageException(String message) {
            super(message);
        }
    }
}
