package io.photomaker.deploy;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * A .dockerignore file: whether a context path is left out of the build context. A pattern matches
 * a path or any of its parent directories; a later {@code !pattern} re-includes, as in Docker.
 */
final class DockerIgnore {

    private record Rule(PathMatcher matcher, boolean exclude) {
    }

    private final List<Rule> rules;

    private DockerIgnore(List<Rule> rules) {
        this.rules = rules;
    }

    static DockerIgnore parse(String text) {
        List<Rule> rules = new ArrayList<>();
        for (String raw : text.split("\n")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            boolean exclude = !line.startsWith("!");
            String pattern = (exclude ? line : line.substring(1)).replaceAll("^/+", "").replaceAll("/+$", "");
            rules.add(new Rule(FileSystems.getDefault().getPathMatcher("glob:" + pattern), exclude));
            if (pattern.startsWith("**/")) {
                // Docker's ** also matches no directory at all; Java's glob needs the slash.
                rules.add(new Rule(FileSystems.getDefault().getPathMatcher("glob:" + pattern.substring(3)), exclude));
            }
        }
        return new DockerIgnore(rules);
    }

    boolean excludes(String contextPath) {
        boolean excluded = false;
        for (Rule rule : rules) {
            if (matchesSelfOrParent(rule.matcher(), Path.of(contextPath))) {
                excluded = rule.exclude();
            }
        }
        return excluded;
    }

    private static boolean matchesSelfOrParent(PathMatcher matcher, Path path) {
        for (Path p = path; p != null; p = p.getParent()) {
            if (matcher.matches(p)) {
                return true;
            }
        }
        return false;
    }
}
