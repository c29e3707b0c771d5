package io.photomaker.common.job;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Job and identity ids: a prefix, the creation time in milliseconds (base 32, so ids sort by time)
 * and 80 random bits. The embedded time lets a gateway tell a just-created id from an unknown one.
 */
public final class JobIds {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";
    /** What follows an id's prefix: 26 characters of {@link #ALPHABET}. */
    private static final String ID_BODY = "[0-9a-hjkmnp-tv-z]{26}";
    /** A job id as the API documents it (openapi.json, parameter JobId). */
    public static final String JOB_ID_PATTERN = "^job_" + ID_BODY + "$";
    private static final Pattern JOB_ID = Pattern.compile(JOB_ID_PATTERN);
    private static final Pattern ANY_ID = Pattern.compile("(job|idn)_" + ID_BODY);

    private JobIds() {
    }

    public static String newJobId() {
        return create("job_", System.currentTimeMillis());
    }

    /** A job id that says it was created at {@code millis} (for tools that write past jobs). */
    public static String jobIdAt(long millis) {
        return create("job_", millis);
    }

    public static String newIdentityId() {
        return create("idn_", System.currentTimeMillis());
    }

    static String create(String prefix, long millis) {
        StringBuilder sb = new StringBuilder(prefix);
        for (int shift = 45; shift >= 0; shift -= 5) {
            sb.append(ALPHABET.charAt((int) ((millis >>> shift) & 31)));
        }
        byte[] rnd = new byte[10];
        RANDOM.nextBytes(rnd);
        long bits = 0;
        int have = 0;
        for (byte b : rnd) {
            bits = (bits << 8) | (b & 0xff);
            have += 8;
            while (have >= 5) {
                have -= 5;
                sb.append(ALPHABET.charAt((int) ((bits >>> have) & 31)));
            }
        }
        return sb.toString();
    }

    /** Whether {@code id} looks like an id this system made. */
    public static boolean isWellFormed(String id) {
        return id != null && ANY_ID.matcher(id).matches();
    }

    /** Whether {@code id} is a job id as the API documents it. */
    public static boolean isJobId(String id) {
        return id != null && JOB_ID.matcher(id).matches();
    }

    /** Creation time embedded in a well-formed id, or -1. */
    public static long createdAt(String id) {
        if (!isWellFormed(id)) {
            return -1;
        }
        long t = 0;
        for (int i = 4; i < 14; i++) {
            t = (t << 5) | ALPHABET.indexOf(id.toLowerCase(Locale.ROOT).charAt(i));
        }
        return t;
    }
}
