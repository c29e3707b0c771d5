package io.photomaker.gateway.submit;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Tells whether a multipart body ended with its closing delimiter ({@code --boundary--}). The multipart
 * decoder accepts a body that simply stops after a part; such a body may have been cut short, so the
 * reader refuses it. Only the last {@value #TAIL} bytes are kept and searched: the delimiter may be
 * followed by line breaks or a short epilogue, not by more.
 */
final class ClosingBoundary {
    static final int TAIL = 512;

    private final byte[] delimiter;
    private final byte[] tail = new byte[TAIL];
    private int filled;

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

    /** Takes the next chunk of the body. */
    void accept(Buffer chunk) {
        int n = chunk.length();
        if (n >= TAIL) {
            chunk.getBytes(n - TAIL, n, tail, 0);
            filled = TAIL;
            return;
        }
        int keep = Math.min(filled, TAIL - n);
        System.arraycopy(tail, filled - keep, tail, 0, keep);
        chunk.getBytes(0, n, tail, keep);
        filled = keep + n;
    }

    /** Whether the closing delimiter is among the last bytes seen. */
    boolean seen() {
        outer:
        for (int i = 0; i + delimiter.length <= filled; i++) {
            for (int j = 0; j < delimiter.length; j++) {
                if (tail[i + j] != delimiter[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
