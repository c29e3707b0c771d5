package io.photomaker.devtools;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads samples out of a Prometheus text exposition: sums of one metric's samples matching some labels. */
final class PrometheusText {
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final String text;

    PrometheusText(String text) {
        this.text = text;
    }

    /** Whether any sample of {@code name} is present. */
    boolean has(String name) {
        return count(name, Map.of()) > 0;
    }

    /** The sum of the samples of {@code name} whose labels include {@code labels}; 0 when there are none. */
    double sum(String name, Map<String, String> labels) {
        double total = 0;
        for (String line : text.split("\n")) {
            Sample s = parse(line);
            if (s != null && s.name.equals(name) && s.labels.entrySet().containsAll(labels.entrySet())) {
                total += s.value;
            }
        }
        return total;
    }

    double sum(String name) {
        return sum(name, Map.of());
    }

    private int count(String name, Map<String, String> labels) {
        int n = 0;
        for (String line : text.split("\n")) {
            Sample s = parse(line);
            if (s != null && s.name.equals(name) && s.labels.entrySet().containsAll(labels.entrySet())) {
                n++;
            }
        }
        return n;
    }

    private record Sample(String name, Map<String, String> labels, double value) {
    }

    private static Sample parse(String line) {
        if (line.isBlank() || line.startsWith("#")) {
            return null;
        }
        Matcher m = SAMPLE.matcher(line);
        if (!m.find()) {
            return null;
        }
        Map<String, String> labels = new HashMap<>();
        if (m.group(3) != null) {
            Matcher l = LABEL.matcher(m.group(3));
            while (l.find()) {
                labels.put(l.group(1), l.group(2));
            }
        }
        String v = m.group(4);
        double value = switch (v) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(v);
        };
        return new Sample(m.group(1), labels, value);
    }
}
