package io.photomaker.common.job;

import java.util.regex.Pattern;

/**
 * Keeps internals out of the failure messages clients read (job errors, identity errors, webhook payloads):
 * network addresses and URLs, object keys, file paths, Java exception names and the request ids and service
 * details storage clients append are replaced by a neutral word, and messages are cut to a readable length.
 * It is the net under the rule that failures are created with safe messages in the first place.
 */
public final class FailureText {
    /** Longest message kept. */
    public static final int MAX_LENGTH = 300;

    private static final Pattern SERVICE_DETAILS = Pattern.compile("\\s*\\((?:Service|Status Code|Request ID)[^)]*\\)");
    private static final Pattern URL = Pattern.compile("\\b[a-zA-Z][a-zA-Z0-9+.-]*://\\S+");
    /** A run of hex digits and colons holding "::" or at least four colons, with brackets, zone and port. */
    private static final Pattern IPV6 = Pattern.compile(
            "(?<![\\w:.])\\[?(?=[0-9a-fA-F:]*::|(?:[0-9a-fA-F]{1,4}:){4})[0-9a-fA-F:]{2,}(?:%\\w+)?\\]?(?::\\d{1,5})?");
    private static final Pattern IPV4 = Pattern.compile("/?\\b\\d{1,3}(?:\\.\\d{1,3}){3}\\b(?::\\d{1,5})?");
    private static final Pattern HOST_PORT = Pattern.compile("\\b[a-zA-Z0-9][a-zA-Z0-9.-]*:\\d{2,5}\\b");
    private static final Pattern OBJECT_KEY = Pattern.compile(
            "\\b(?:inputs|outputs|identities|archive|webhooks|idempotency|tenants)/\\S*");
    private static final Pattern PATH = Pattern.compile("(?<![\\w.])/(?:[\\w.@+-]+/)+[\\w.@+-]*");
    private static final Pattern EXCEPTION = Pattern.compile(
            "\\b(?:[a-z_][a-z0-9_]*\\.)+[A-Z][\\w$]*(?:Exception|Error|Throwable)\\b:?");

    private FailureText() {
    }

    /** {@code message} without addresses, keys, paths or exception names; null stays null. */
    public static String scrub(String message) {
        if (message == null) {
            return null;
        }
        String s = SERVICE_DETAILS.matcher(message).replaceAll("");
        s = URL.matcher(s).replaceAll("[address]");
        s = OBJECT_KEY.matcher(s).replaceAll("[object]");
        s = EXCEPTION.matcher(s).replaceAll("[error]");
        s = PATH.matcher(s).replaceAll("[path]");
        s = IPV6.matcher(s).replaceAll("[address]");
        s = IPV4.matcher(s).replaceAll("[address]");
        s = HOST_PORT.matcher(s).replaceAll("[address]");
        s = s.replaceAll("\\s+", " ").trim();
        return s.length() <= MAX_LENGTH ? s : s.substring(0, MAX_LENGTH - 3) + "...";
    }
}
