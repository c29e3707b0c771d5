package io.photomaker.testkit.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 connection driven byte by byte, for what a well-behaved client never does: bodies that trickle,
 * stop half way or promise more than they send. Reads one answer at a time and tells whether the server closed.
 * For tests.
 */
public final class RawHttp implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /** One answer: status, lower-case header names, body. */
    public record Answer(int status, Map<String, String> headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private RawHttp(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    public static RawHttp open(int port) {
        try {
            Socket s = new Socket("127.0.0.1", port);
            s.setTcpNoDelay(true);
            return new RawHttp(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Request line and headers of a POST whose body is sent separately. */
    public RawHttp postHead(String path, String contentType, long contentLength, String apiKey) {
        String head = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + contentType + "\r\n"
                + "Content-Length: " + contentLength + "\r\n" + (apiKey == null ? "" : "X-API-Key: " + apiKey + "\r\n")
                + "\r\n";
        return send(head.getBytes(StandardCharsets.US_ASCII));
    }

    /** Sends bytes; false when the server has closed the connection. */
    public boolean trySend(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public RawHttp send(byte[] bytes) {
        if (!trySend(bytes)) {
            throw new UncheckedIOException(new IOException("the server closed the connection"));
        }
        return this;
    }

    /** Reads one answer, waiting at most {@code timeout} for each read; null when the connection closed first. */
    public Answer readAnswer(Duration timeout) {
        return read(timeout, true);
    }

    /**
     * Reads the status line and headers of one answer and leaves its body unread (an event stream, or a body the
     * caller does not need); null when the connection closed first.
     */
    public Answer readHead(Duration timeout) {
        return read(timeout, false);
    }

    private Answer read(Duration timeout, boolean withBody) {
        try {
            socket.setSoTimeout((int) timeout.toMillis());
            String head = readHead();
            if (head == null) {
                return null;
            }
            String[] lines = head.split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            return new Answer(status, headers, withBody ? in.readNBytes(length) : new byte[0]);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no answer within " + timeout.toMillis() + " ms");
        } catch (IOException e) {
            return null;
        }
    }

    /** Whether the server closes the connection within {@code timeout} (anything it still sends is skipped). */
    public boolean closedWithin(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                if (in.read() < 0) {
                    return true;
                }
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // closing a test connection cannot fail the test
        }
    }
}
