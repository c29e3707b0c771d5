package io.photomaker.gateway.submit;

import io.photomaker.common.errors.ErrorType;
import io.photomaker.gateway.http.ApiError;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Locale;

/**
 * The text of a multipart part as UTF-8 bytes, decoded by the charset its Content-Type names. Clients
 * generated from the API document send the JSON {@code request} part as {@code text/plain} in
 * ISO-8859-1; without a charset (or as {@code application/json}) the bytes are taken as they are, and
 * the JSON reader detects UTF-8/16/32 itself.
 */
public final class PartText {
    private PartText() {
    }

    /**
     * @param contentType the part's Content-Type header, or null
     * @param field the part's name, for the error
     * @return {@code bytes} re-encoded as UTF-8 when the content type names another charset
     */
    public static byte[] utf8(byte[] bytes, String contentType, String field) {
        String charset = charset(contentType);
        if (charset == null) {
            return bytes;
        }
        Charset declared;
        try {
            declared = Charset.forName(charset);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw new ApiError(ErrorType.UNSUPPORTED_MEDIA_TYPE, "the " + field + " part's charset " + charset
                    + " is not supported", field);
        }
        return declared.equals(StandardCharsets.UTF_8) ? bytes
                : new String(bytes, declared).getBytes(StandardCharsets.UTF_8);
    }

    /** The charset parameter of a Content-Type value, unquoted, or null. */
    static String charset(String contentType) {
        if (contentType == null) {
            return null;
        }
        String[] params = contentType.split(";");
        for (int i = 1; i < params.length; i++) {
            String p = params[i].strip();
            int eq = p.indexOf('=');
            if (eq > 0 && p.substring(0, eq).strip().toLowerCase(Locale.ROOT).equals("charset")) {
                String value = p.substring(eq + 1).strip();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                return value.isEmpty() ? null : value;
            }
        }
        return null;
    }
}
