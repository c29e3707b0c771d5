package io.photomaker.gateway.submit;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** Reads {@code Prefer: wait=N} (RFC 7240): how long a client would like a submission to wait for the result. */
public final class PreferWait {
    private PreferWait() {
    }

    /** The wait asked for, capped at {@code max}; zero when absent or unreadable (a preference is only a hint). */
    public static Duration parse(List<String> preferHeaders, Duration max) {
        long seconds = 0;
        for (String header : preferHeaders) {
            for (String pref : header.split(",")) {
                String p = pref.trim().toLowerCase(Locale.ROOT);
                int semi = p.indexOf(';');
                if (semi >= 0) {
                    p = p.substring(0, semi).trim();
                }
                if (!p.startsWith("wait=")) {
                    continue;
                }
                String v = p.substring(5).trim().replace("\"", "");
                if (v.matches("[0-9]{1,9}")) {
                    seconds = Math.max(seconds, Long.parseLong(v));
                }
            }
        }
        return Duration.ofSeconds(Math.min(seconds, max.toSeconds()));
    }
}
