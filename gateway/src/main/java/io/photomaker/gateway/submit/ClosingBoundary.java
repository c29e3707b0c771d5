package io.photomaker.gateway.submit;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Watches a multipart body go by and tells whether its closing delimiter ({@code --boundary--}) arrived.
 * The multipart decoder accepts a body that simply stops after a part; such a body may be cut short, so
 * the reader refuses it. Keeps only the last few bytes between chunks.
 */
final class ClosingBoundary {
    private final byte[] delimiter;
    private byte[] tail = new byte[0];
    private boolean seen;

    private ClosingBoundary(String boundary) {
        this.delimiter = ("--" + boundary + "--").getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A watcher for the boundary named in {@code contentType}, or null when it names none. */
    static ClosingBoundary of(String contentType) {
        if (contentType == null) {
            return null;
        }
        int at = contentType.toLowerCase(Locale.ROOT).indexOf("boundary=");
        if (at < 0) {
            return null;
        }
        String b = contentType.substring(at + "boundary=".length());
        int semi = b.indexOf(';');
        b = (semi >= 0 ? b.substring(0, semi) : b).trim();
        if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
            b = b.substring(1, b.length() - 1);
        }
        return b.isEmpty() || b.length() > 200 ? null : new ClosingBoundary(b);
    }

    void accept(byte[] chunk) {
        if (seen) {
            return;
        }
        byte[] window = new byte[tail.length + chunk.length];
        System.arraycopy(tail, 0, window, 0, tail.length);
        System.arraycopy(chunk, 0, window, tail.length, chunk.length);
        seen = indexOf(window, delimiter) >= 0;
        int keep = Math.min(window.length, delimiter.length - 1);
        tail = new byte[keep];
        System.arraycopy(window, window.length - keep, tail, 0, keep);
    }

    boolean seen() {
        return seen;
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
