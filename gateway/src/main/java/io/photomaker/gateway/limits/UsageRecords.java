package io.photomaker.gateway.limits;

import java.nio.charset.StandardCharsets;

/**
 * The wire format of {@code photomaker.tenant-usage}, written by the state processor and read by every gateway.
 * Partition p of the topic carries what the processor knows about partition p of the job events, in order:
 * <ul>
 *   <li>key {@code <tenant>@<p>}, value the tenant's unfinished jobs in that partition as decimal text
 *       (a tombstone when none are left);</li>
 *   <li>key {@code #@<p>}, value the offset of job events up to which those counts are complete (the
 *       partition's watermark).</li>
 * </ul>
 * Tenant names cannot contain {@code @} or start with {@code #} (see {@code ApiKeys#TENANT}).
 */
public final class UsageRecords {
    private static final String WATERMARK = "#";

    private UsageRecords() {
    }

    /** Key of {@code tenant}'s count in partition {@code partition}. */
    public static String countKey(String tenant, int partition) {
        return tenant + "@" + partition;
    }

    /** Key of partition {@code partition}'s watermark. */
    public static String watermarkKey(int partition) {
        return WATERMARK + "@" + partition;
    }

    /** The partition a usage key belongs to (its suffix), or -1 for a key this format does not know. */
    public static int partitionOf(String key) {
        int at = key == null ? -1 : key.lastIndexOf('@');
        if (at < 0) {
            return -1;
        }
        try {
            return Integer.parseInt(key.substring(at + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Whether {@code key} is a watermark. */
    public static boolean isWatermark(String key) {
        return key.startsWith(WATERMARK + "@");
    }

    /** The tenant of a count key. */
    public static String tenantOf(String key) {
        return key.substring(0, key.lastIndexOf('@'));
    }

    public static byte[] number(long n) {
        return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
    }

    /** The number a value holds; a tombstone (null) is 0. */
    public static long parse(byte[] value) {
        if (value == null) {
            return 0;
        }
        try {
            return Long.parseLong(new String(value, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
