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

    /** Expands $X, ${X}, ${X:-default} and ${X:+alternative} (nested too) the way the shell would. */
    static String substitute(String text, Map<String, String> vars) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '$' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
                int end = closingBrace(text, i + 1);
                out.append(expand(text.substring(i + 2, end), vars));
                i = end + 1;
            } else if (c == '$' && i + 1 < text.length() && isNameChar(text.charAt(i + 1))) {
                int end = i + 1;
                while (end < text.length() && isNameChar(text.charAt(end))) {
                    end++;
                }
                out.append(vars.getOrDefault(text.substring(i + 1, end), ""));
                i = end;
            } else {
                out.append(c);
                i++;
            }
        }
        return out.toString();
    }

    private static String expand(String inner, Map<String, String> vars) {
        int colon = inner.indexOf(':');
        if (colon < 0) {
            return vars.getOrDefault(inner, "");
        }
        String value = vars.getOrDefault(inner.substring(0, colon), "");
        String word = inner.substring(colon + 2);
        return switch (inner.charAt(colon + 1)) {
            case '-' -> value.isEmpty() ? substitute(word, vars) : value;
            case '+' -> value.isEmpty() ? "" : substitute(word, vars);
            default -> throw new IllegalArgumentException("unsupported expansion ${" + inner + "}");
        };
    }

    private static int closingBrace(String text, int open) {
        int depth = 0;
        for (int i = open; i < text.length(); i++) {
            depth += text.charAt(i) == '{' ? 1 : text.charAt(i) == '}' ? -1 : 0;
            if (depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("unclosed ${ in " + text);
    }

    private static boolean isNameChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_';
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
