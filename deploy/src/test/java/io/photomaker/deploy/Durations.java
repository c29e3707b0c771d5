package io.photomaker.deploy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses the duration strings of compose and Prometheus ("150s", "2m30s", "1h") into whole seconds. */
final class Durations {

    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d|w|y)");

    private Durations() {
    }

    static int seconds(String text) {
        String value = text.strip();
        if (value.matches("\\d+")) {
            return Integer.parseInt(value);
        }
        Matcher m = PART.matcher(value);
        long total = 0;
        int end = 0;
        while (m.find()) {
            if (m.start() != end) {
                break;
            }
            total += Long.parseLong(m.group(1)) * unitMillis(m.group(2));
            end = m.end();
        }
        if (end != value.length() || value.isEmpty()) {
            throw new IllegalArgumentException("not a duration: '" + text + "'");
        }
        return (int) (total / 1000);
    }

    private static long unitMillis(String unit) {
        return switch (unit) {
            case "ms" -> 1L;
            case "s" -> 1_000L;
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            case "d" -> 86_400_000L;
            case "w" -> 604_800_000L;
            default -> 31_536_000_000L;
        };
    }
}
