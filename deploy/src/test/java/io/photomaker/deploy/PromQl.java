package io.photomaker.deploy;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the metric names a PromQL expression selects: identifiers that are not functions, keywords,
 * label names (inside braces or by/without/on/ignoring/group lists), strings, durations or numbers.
 */
final class PromQl {

    private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'|`[^`]*`");
    private static final Pattern LABEL_MATCHERS = Pattern.compile("\\{[^{}]*}");
    private static final Pattern RANGES = Pattern.compile("\\[[^\\[\\]]*]");
    private static final Pattern LABEL_LISTS =
            Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^()]*\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)(\\s*\\()?");
    private static final Set<String> KEYWORDS = Set.of(
            "and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right",
            "offset", "bool", "inf", "nan", "atan2", "start", "end");

    private PromQl() {
    }

    static Set<String> metricNames(String expression) {
        String rest = STRINGS.matcher(expression).replaceAll("\"\"");
        rest = LABEL_MATCHERS.matcher(rest).replaceAll(" ");
        rest = RANGES.matcher(rest).replaceAll(" ");
        rest = LABEL_LISTS.matcher(rest).replaceAll(" ");
        Set<String> names = new TreeSet<>();
        Matcher m = IDENTIFIER.matcher(rest);
        while (m.find()) {
            boolean isCall = m.group(2) != null;
            if (!isCall && !KEYWORDS.contains(m.group(1).toLowerCase())) {
                names.add(m.group(1));
            }
        }
        return names;
    }

    /** True when every bracket opens and closes in order (outside strings). */
    static boolean balanced(String expression) {
        String rest = STRINGS.matcher(expression).replaceAll("\"\"");
        StringBuilder open = new StringBuilder();
        for (char c : rest.toCharArray()) {
            int kind = "([{".indexOf(c);
            int close = ")]}".indexOf(c);
            if (kind >= 0) {
                open.append(c);
            } else if (close >= 0) {
                if (open.length() == 0 || "([{".indexOf(open.charAt(open.length() - 1)) != close) {
                    return false;
                }
                open.setLength(open.length() - 1);
            }
        }
        return open.length() == 0;
    }
}
