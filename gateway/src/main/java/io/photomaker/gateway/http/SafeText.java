package io.photomaker.gateway.http;

/** Client-supplied text made safe to echo in an error message or a log line. */
public final class SafeText {
    private SafeText() {
    }

    /** {@code text} cut to 64 characters (marked with "...") with control characters replaced by '?'. */
    public static String printable(String text) {
        String cut = text.length() > 64 ? text.substring(0, 64) + "..." : text;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }
}
