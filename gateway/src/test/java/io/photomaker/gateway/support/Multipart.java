package io.photomaker.gateway.support;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Builds multipart/form-data bodies byte by byte, so tests control every boundary and header. */
public final class Multipart {
    private final String boundary;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    public Multipart() {
        this("pm-test-boundary-7e3c1a");
    }

    public Multipart(String boundary) {
        this.boundary = boundary;
    }

    public String contentType() {
        return "multipart/form-data; boundary=" + boundary;
    }

    /** A form field without a file name (the {@code request} JSON). */
    public Multipart field(String name, String value) {
        text("--" + boundary + "\r\n");
        text("Content-Disposition: form-data; name=\"" + name + "\"\r\n\r\n");
        out.writeBytes(value.getBytes(StandardCharsets.UTF_8));
        text("\r\n");
        return this;
    }

    /** A file part. */
    public Multipart file(String name, String filename, String contentType, byte[] bytes) {
        text("--" + boundary + "\r\n");
        text("Content-Disposition: form-data; name=\"" + name + "\"; filename=\"" + filename + "\"\r\n");
        if (contentType != null) {
            text("Content-Type: " + contentType + "\r\n");
        }
        text("\r\n");
        out.writeBytes(bytes);
        text("\r\n");
        return this;
    }

    /** Raw bytes, for malformed bodies. */
    public Multipart raw(byte[] bytes) {
        out.writeBytes(bytes);
        return this;
    }

    public byte[] build() {
        text("--" + boundary + "--\r\n");
        return out.toByteArray();
    }

    /** The body so far, without the closing boundary. */
    public byte[] unterminated() {
        return out.toByteArray();
    }

    private void text(String s) {
        out.writeBytes(s.getBytes(StandardCharsets.US_ASCII));
    }
}
