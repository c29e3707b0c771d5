package io.photomaker.testkit.http;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * An HTTP/2 connection over cleartext (prior knowledge) driven frame by frame, for what no well-behaved client
 * does: more concurrent streams than the server allows, streams reset as fast as they are opened, header blocks
 * past the server's limit. Headers are HPACK literals without indexing, so no encoder state is needed.
 */
public final class H2Raw implements AutoCloseable {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int HEADERS = 0x1;
    private static final int RST_STREAM = 0x3;
    private static final int SETTINGS = 0x4;
    private static final int PING = 0x6;
    private static final int GOAWAY = 0x7;
    private static final int CONTINUATION = 0x9;
    /** The smallest maximum frame size every endpoint accepts. */
    private static final int MAX_FRAME = 16_384;
    private static final int END_STREAM = 0x1;
    private static final int END_HEADERS = 0x4;
    private static final int PADDED = 0x8;
    private static final int PRIORITY = 0x20;
    private static final int ACK = 0x1;
    /** RST_STREAM code a server uses for streams past its concurrency limit. */
    public static final int REFUSED_STREAM = 0x7;
    /** RST_STREAM code a client uses to cancel a stream. */
    public static final int CANCEL = 0x8;

    private static final int STATIC_ENTRIES = 61;
    private static final String[] STATIC_STATUS = {"200", "204", "206", "304", "400", "404", "500"};

    private final java.util.List<String[]> dynamic = new java.util.ArrayList<>();
    private int dynamicLimit = 4096;
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final int port;

    /** What the server sent back: responses, refused or reset streams, and whether it ended the connection. */
    public record Tally(int responses, int statuses4xx, int statuses5xx, int resets, int refused, boolean goaway,
                        boolean closed) {
    }

    private H2Raw(Socket socket, int port) throws IOException {
        this.socket = socket;
        this.port = port;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects and sends the connection preface and an empty SETTINGS frame. */
    public static H2Raw open(int port) {
        try {
            Socket s = new Socket("127.0.0.1", port);
            s.setTcpNoDelay(true);
            H2Raw c = new H2Raw(s, port);
            c.out.write(PREFACE);
            c.frame(SETTINGS, 0, 0, new byte[0]);
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Opens stream {@code streamId} with a request; false once the server has closed the connection. */
    public boolean request(int streamId, String method, String path, Map<String, String> headers, boolean endStream) {
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        literal(block, ":method", method);
        literal(block, ":scheme", "http");
        literal(block, ":path", path);
        literal(block, ":authority", "127.0.0.1:" + port);
        headers.forEach((k, v) -> literal(block, k, v));
        byte[] all = block.toByteArray();
        int endFlag = endStream ? END_STREAM : 0;
        if (all.length <= MAX_FRAME) {
            return tryFrame(HEADERS, END_HEADERS | endFlag, streamId, all);
        }
        // A header block larger than one frame: HEADERS, then CONTINUATION frames, the last one ending it.
        boolean sent = tryFrame(HEADERS, endFlag, streamId, java.util.Arrays.copyOfRange(all, 0, MAX_FRAME));
        for (int at = MAX_FRAME; sent && at < all.length; at += MAX_FRAME) {
            int to = Math.min(all.length, at + MAX_FRAME);
            sent = tryFrame(CONTINUATION, to == all.length ? END_HEADERS : 0, streamId,
                    java.util.Arrays.copyOfRange(all, at, to));
        }
        return sent;
    }

    /** Resets stream {@code streamId}; false once the server has closed the connection. */
    public boolean reset(int streamId, int code) {
        return tryFrame(RST_STREAM, 0, streamId, new byte[] {(byte) (code >>> 24), (byte) (code >>> 16),
            (byte) (code >>> 8), (byte) code});
    }

    /**
     * Reads frames for at most {@code duration} (acknowledging the server's SETTINGS and PINGs as a client
     * must) and tallies what came back.
     */
    public Tally readFor(Duration duration) {
        int responses = 0;
        int c4 = 0;
        int c5 = 0;
        int resets = 0;
        int refused = 0;
        boolean goaway = false;
        long deadline = System.nanoTime() + duration.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                socket.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                int length = in.readUnsignedByte() << 16 | in.readUnsignedByte() << 8 | in.readUnsignedByte();
                int type = in.readUnsignedByte();
                int flags = in.readUnsignedByte();
                in.readInt();
                byte[] payload = in.readNBytes(length);
                if (payload.length < length) {
                    return new Tally(responses, c4, c5, resets, refused, goaway, true);
                }
                switch (type) {
                    case HEADERS -> {
                        int status = statusOf(headerBlock(payload, flags));
                        if (status != 0) {
                            responses++;
                            c4 += status >= 400 && status < 500 ? 1 : 0;
                            c5 += status >= 500 ? 1 : 0;
                        }
                    }
                    case RST_STREAM -> {
                        resets++;
                        refused += payload.length == 4 && payload[3] == REFUSED_STREAM ? 1 : 0;
                    }
                    case SETTINGS -> {
                        if ((flags & ACK) == 0) {
                            tryFrame(SETTINGS, ACK, 0, new byte[0]);
                        }
                    }
                    case PING -> {
                        if ((flags & ACK) == 0) {
                            tryFrame(PING, ACK, 0, payload);
                        }
                    }
                    case GOAWAY -> goaway = true;
                    default -> {
                        // DATA, WINDOW_UPDATE and the rest carry nothing this tally needs
                    }
                }
            }
            return new Tally(responses, c4, c5, resets, refused, goaway, false);
        } catch (SocketTimeoutException e) {
            return new Tally(responses, c4, c5, resets, refused, goaway, false);
        } catch (IOException e) {
            return new Tally(responses, c4, c5, resets, refused, goaway, true);
        }
    }

    /** The header block fragment of a HEADERS payload: without its padding and priority fields. */
    private static byte[] headerBlock(byte[] payload, int flags) {
        int from = 0;
        int to = payload.length;
        if ((flags & PADDED) != 0 && payload.length > 0) {
            to -= payload[0] & 0xFF;
            from = 1;
        }
        if ((flags & PRIORITY) != 0) {
            from += 5;
        }
        return from >= to ? new byte[0] : java.util.Arrays.copyOfRange(payload, from, to);
    }

    /**
     * The :status of a response header block, decoded with this connection's HPACK state: static and dynamic
     * table references and literals (the server's encoder sends short strings without Huffman coding); -1 for a
     * :status this decoder cannot read, 0 for a header block without one.
     */
    private int statusOf(byte[] block) {
        int status = 0;
        int[] at = {0};
        try {
            while (at[0] < block.length) {
                int first = block[at[0]] & 0xFF;
                String name;
                String value;
                if ((first & 0x80) != 0) {
                    String[] entry = entry(integer(block, at, 7));
                    name = entry[0];
                    value = entry[1];
                } else if ((first & 0xE0) == 0x20) {
                    dynamicLimit = integer(block, at, 5);
                    evict();
                    continue;
                } else {
                    boolean indexing = (first & 0xC0) == 0x40;
                    int index = integer(block, at, indexing ? 6 : 4);
                    name = index == 0 ? string(block, at) : entry(index)[0];
                    value = string(block, at);
                    if (indexing) {
                        dynamic.add(0, new String[] {name, value});
                        evict();
                    }
                }
                if (name.equals(":status")) {
                    status = value == null ? -1 : Integer.parseInt(value);
                }
            }
        } catch (RuntimeException e) {
            return status == 0 ? -1 : status;
        }
        return status;
    }

    private String[] entry(int index) {
        if (index >= 8 && index <= 14) {
            return new String[] {":status", STATIC_STATUS[index - 8]};
        }
        if (index <= STATIC_ENTRIES) {
            return new String[] {"static-" + index, ""};
        }
        return dynamic.get(index - STATIC_ENTRIES - 1);
    }

    private void evict() {
        int size = 0;
        for (int i = 0; i < dynamic.size(); i++) {
            size += 32 + dynamic.get(i)[0].length() + (dynamic.get(i)[1] == null ? 0 : dynamic.get(i)[1].length());
            if (size > dynamicLimit) {
                dynamic.subList(i, dynamic.size()).clear();
                return;
            }
        }
    }

    private static int integer(byte[] block, int[] at, int prefixBits) {
        int mask = (1 << prefixBits) - 1;
        int value = block[at[0]++] & mask;
        if (value < mask) {
            return value;
        }
        int shift = 0;
        int b;
        do {
            b = block[at[0]++] & 0xFF;
            value += (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        return value;
    }

    /** A string literal; null when it is Huffman-coded (its length is skipped). */
    private static String string(byte[] block, int[] at) {
        boolean huffman = (block[at[0]] & 0x80) != 0;
        int length = integer(block, at, 7);
        String text = huffman ? null : new String(block, at[0], length, StandardCharsets.ISO_8859_1);
        at[0] += length;
        return text;
    }

    private static void literal(ByteArrayOutputStream block, String name, String value) {
        block.write(0x00);
        string(block, name.getBytes(StandardCharsets.US_ASCII));
        string(block, value.getBytes(StandardCharsets.US_ASCII));
    }

    private static void string(ByteArrayOutputStream block, byte[] bytes) {
        int length = bytes.length;
        if (length < 127) {
            block.write(length);
        } else {
            block.write(127);
            int rest = length - 127;
            while (rest >= 128) {
                block.write((rest & 0x7F) | 0x80);
                rest >>>= 7;
            }
            block.write(rest);
        }
        block.writeBytes(bytes);
    }

    private boolean tryFrame(int type, int flags, int streamId, byte[] payload) {
        try {
            frame(type, flags, streamId, payload);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void frame(int type, int flags, int streamId, byte[] payload) throws IOException {
        byte[] head = {(byte) (payload.length >>> 16), (byte) (payload.length >>> 8), (byte) payload.length,
            (byte) type, (byte) flags, (byte) (streamId >>> 24), (byte) (streamId >>> 16), (byte) (streamId >>> 8),
            (byte) streamId};
        synchronized (out) {
            out.write(head);
            out.write(payload);
            out.flush();
        }
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
