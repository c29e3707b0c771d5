package io.photomaker.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A parsed Dockerfile: global ARG defaults and stages with their instructions (continuations joined). */
final class Dockerfile {

    /** One instruction, keyword upper-cased, arguments as written (continuations joined). */
    record Instruction(String keyword, String arguments) {
    }

    /** A build stage: its name ("" if unnamed), its FROM image as written, and its instructions. */
    record Stage(String name, String from, List<Instruction> instructions) {

        List<String> all(String keyword) {
            return instructions.stream().filter(i -> i.keyword().equals(keyword)).map(Instruction::arguments).toList();
        }

        Optional<String> last(String keyword) {
            List<String> found = all(keyword);
            return found.isEmpty() ? Optional.empty() : Optional.of(found.get(found.size() - 1));
        }

        /** ENV pairs in order (later ones win). */
        Map<String, String> env() {
            Map<String, String> env = new LinkedHashMap<>();
            for (String args : all("ENV")) {
                List<String> words = words(args);
                if (words.size() == 2 && !words.get(0).contains("=")) {
                    env.put(words.get(0), words.get(1));
                    continue;
                }
                for (String word : words) {
                    int eq = word.indexOf('=');
                    if (eq > 0) {
                        env.put(word.substring(0, eq), word.substring(eq + 1));
                    }
                }
            }
            return env;
        }

        /** ARG defaults declared in this stage, with global defaults for ARGs redeclared without one. */
        Map<String, String> args(Map<String, String> globalArgs) {
            Map<String, String> args = new LinkedHashMap<>();
            for (String arg : all("ARG")) {
                int eq = arg.indexOf('=');
                String name = (eq < 0 ? arg : arg.substring(0, eq)).strip();
                args.put(name, eq < 0 ? globalArgs.getOrDefault(name, "") : unquote(arg.substring(eq + 1).strip()));
            }
            return args;
        }

        List<Integer> exposedPorts() {
            List<Integer> ports = new ArrayList<>();
            all("EXPOSE").forEach(a -> words(a).forEach(p -> ports.add(Integer.parseInt(p.replaceAll("/.*", "")))));
            return ports;
        }

        /** The exec-form array of ENTRYPOINT or CMD. */
        List<String> execForm(String keyword) {
            return last(keyword).map(Dockerfile::jsonArray).orElse(List.of());
        }
    }

    private static final Pattern FROM = Pattern.compile("(?i)(?:--platform=\\S+\\s+)?(\\S+)(?:\\s+AS\\s+(\\S+))?");
    private static final Pattern VARIABLE =
            Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?}|\\$([A-Za-z_][A-Za-z0-9_]*)");

    private final Map<String, String> globalArgs;
    private final List<Stage> stages;

    private Dockerfile(Map<String, String> globalArgs, List<Stage> stages) {
        this.globalArgs = globalArgs;
        this.stages = stages;
    }

    static Dockerfile parse(String text) {
        Map<String, String> globalArgs = new LinkedHashMap<>();
        List<Stage> stages = new ArrayList<>();
        List<Instruction> current = null;
        for (Instruction instruction : instructions(text)) {
            if (instruction.keyword().equals("FROM")) {
                Matcher m = FROM.matcher(instruction.arguments());
                if (!m.matches()) {
                    throw new IllegalArgumentException("unreadable FROM " + instruction.arguments());
                }
                current = new ArrayList<>();
                stages.add(new Stage(m.group(2) == null ? "" : m.group(2), m.group(1), current));
            } else if (current == null) {
                if (instruction.keyword().equals("ARG")) {
                    String arg = instruction.arguments();
                    int eq = arg.indexOf('=');
                    globalArgs.put(eq < 0 ? arg.strip() : arg.substring(0, eq).strip(),
                            eq < 0 ? "" : unquote(arg.substring(eq + 1).strip()));
                }
            } else {
                current.add(instruction);
            }
        }
        if (stages.isEmpty()) {
            throw new IllegalArgumentException("Dockerfile has no FROM");
        }
        return new Dockerfile(globalArgs, stages);
    }

    List<Stage> stages() {
        return stages;
    }

    /** ARG defaults declared before the first FROM. */
    Map<String, String> globalArgs() {
        return globalArgs;
    }

    Stage finalStage() {
        return stages.get(stages.size() - 1);
    }

    Optional<Stage> stage(String name) {
        return stages.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** A stage's base image with global ARG defaults substituted. */
    String baseImage(Stage stage) {
        return substitute(stage.from(), globalArgs);
    }

    /** Expands $X, ${X}, ${X:-default} and ${X:+alternative} the way the shell (and Docker) would. */
    static String substitute(String text, Map<String, String> vars) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(4);
            String value = vars.getOrDefault(name, "");
            String replacement = value;
            if ("-".equals(m.group(2))) {
                replacement = value.isEmpty() ? substitute(m.group(3), vars) : value;
            } else if ("+".equals(m.group(2))) {
                replacement = value.isEmpty() ? "" : substitute(m.group(3), vars);
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static List<Instruction> instructions(String text) {
        List<Instruction> result = new ArrayList<>();
        StringBuilder logical = new StringBuilder();
        for (String raw : text.split("\n", -1)) {
            String line = raw.strip();
            if (line.startsWith("#") || (line.isEmpty() && logical.length() == 0)) {
                continue;
            }
            boolean continues = line.endsWith("\\");
            logical.append(continues ? line.substring(0, line.length() - 1) : line).append(' ');
            if (!continues) {
                String joined = logical.toString().strip();
                logical.setLength(0);
                if (!joined.isEmpty()) {
                    int space = joined.indexOf(' ');
                    result.add(new Instruction(joined.substring(0, space < 0 ? joined.length() : space).toUpperCase(),
                            space < 0 ? "" : joined.substring(space + 1).strip()));
                }
            }
        }
        return result;
    }

    /** Whitespace-separated words; double-quoted parts may contain spaces (quotes removed). */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        for (char c : text.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
            } else if (Character.isWhitespace(c) && !quoted) {
                if (word.length() > 0) {
                    words.add(word.toString());
                    word.setLength(0);
                }
            } else {
                word.append(c);
            }
        }
        if (word.length() > 0) {
            words.add(word.toString());
        }
        return words;
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }

    private static List<String> jsonArray(String text) {
        try {
            JsonNode array = YamlDocs.JSON.readTree(text);
            if (!array.isArray()) {
                return List.of();
            }
            List<String> items = new ArrayList<>();
            array.forEach(item -> items.add(item.asText()));
            return items;
        } catch (IOException e) {
            return List.of();
        }
    }
}
