package io.photomaker.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The PM_* settings the code reads, per module: string literals {@code "PM_..."} in the Java sources
 * of common, gateway, worker and cli, plus the checked-in list (known-env.txt) for names no source
 * reads yet. A list entry is used only when the sources do not have the name.
 */
final class KnownEnvironment {

    static final List<String> MODULES = List.of("common", "gateway", "worker", "cli");
    private static final Pattern LITERAL = Pattern.compile("\"(PM_[A-Z0-9_]+)\"");
    private static final Pattern LIST_LINE = Pattern.compile("(common|gateway|worker|cli)\\s+(PM_[A-Z0-9_]+)");

    private final Map<String, String> moduleOf;
    private final Set<String> fromList;
    private final Set<String> staleListEntries;

    private KnownEnvironment(Map<String, String> moduleOf, Set<String> fromList, Set<String> staleListEntries) {
        this.moduleOf = moduleOf;
        this.fromList = fromList;
        this.staleListEntries = staleListEntries;
    }

    /** Sources under the repository plus the known-env.txt test resource. */
    static KnownEnvironment load() {
        Map<String, Set<String>> fromSources = new TreeMap<>();
        for (String module : MODULES) {
            fromSources.put(module, scan(RepoLayout.path(module + "/src/main")));
        }
        return of(fromSources, parseList(readListResource()));
    }

    /** Combines names found in sources (module to names) with list entries (name to module). */
    static KnownEnvironment of(Map<String, Set<String>> fromSources, Map<String, String> listed) {
        Map<String, String> moduleOf = new TreeMap<>();
        fromSources.forEach((module, names) -> names.forEach(name -> moduleOf.merge(name, module, KnownEnvironment::shared)));
        Set<String> fromList = new TreeSet<>();
        Set<String> stale = new TreeSet<>();
        listed.forEach((name, module) -> {
            if (moduleOf.containsKey(name)) {
                stale.add(name);
            } else {
                fromList.add(name);
            }
        });
        fromList.forEach(name -> moduleOf.put(name, listed.get(name)));
        return new KnownEnvironment(moduleOf, fromList, stale);
    }

    /** Settings a container of this role may be given: common and cli ones, plus its own module's. */
    Set<String> allowedFor(Role role) {
        Set<String> allowed = new TreeSet<>();
        moduleOf.forEach((name, module) -> {
            boolean shared = module.equals("common") || module.equals("cli");
            if (shared || role == Role.OTHER || module.equals(role.component())) {
                allowed.add(name);
            }
        });
        return allowed;
    }

    Set<String> acceptedFromList() {
        return fromList;
    }

    Set<String> staleListEntries() {
        return staleListEntries;
    }

    static Map<String, String> parseList(String text) {
        Map<String, String> listed = new TreeMap<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher m = LIST_LINE.matcher(line);
            if (!m.matches()) {
                throw new IllegalArgumentException("known-env.txt: malformed line '" + line + "'");
            }
            listed.put(m.group(2), m.group(1));
        }
        return listed;
    }

    static Set<String> scanText(String source) {
        Set<String> names = new TreeSet<>();
        Matcher m = LITERAL.matcher(source);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    private static Set<String> scan(Path sourceRoot) {
        if (!Files.isDirectory(sourceRoot)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            Set<String> names = new TreeSet<>();
            files.filter(p -> p.toString().endsWith(".java"))
                    .forEach(p -> names.addAll(scanText(RepoLayout.read(p))));
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A name read by two different modules counts as shared by both roles. */
    private static String shared(String first, String second) {
        return first.equals(second) ? first : "common";
    }

    private static String readListResource() {
        try (var in = KnownEnvironment.class.getResourceAsStream("/known-env.txt")) {
            if (in == null) {
                throw new IllegalStateException("known-env.txt missing from the test resources");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
