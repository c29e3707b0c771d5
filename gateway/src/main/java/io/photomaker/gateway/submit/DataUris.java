package io.photomaker.gateway.submit;

import com.fasterxml.jackson.databind.JsonNode;
import io.photomaker.common.errors.ErrorType;
import io.photomaker.gateway.http.ApiError;
import java.util.Base64;

/** Decodes {@code data:<media type>;base64,<data>} URIs carrying ID photos in JSON submissions. */
public final class DataUris {
    private DataUris() {
    }

    /** The image in {@code node}; refuses non-strings, non-base64 URIs and payloads over {@code maxBytes}. */
    public static UploadedImage decode(JsonNode node, String field, int maxBytes) {
        if (node == null || !node.isTextual()) {
            throw invalid(field, field + " must be a data-URI string");
        }
        String uri = node.textValue();
        if (!uri.regionMatches(true, 0, "data:", 0, 5)) {
            throw invalid(field, field + " must start with 'data:'");
        }
        int comma = uri.indexOf(',');
        if (comma < 0 || comma > 200) {
            throw invalid(field, field + " has no ',' after its media type");
        }
        String meta = uri.substring(5, comma);
        if (!meta.toLowerCase(java.util.Locale.ROOT).endsWith(";base64")) {
            throw invalid(field, field + " must be base64-encoded (data:image/png;base64,...)");
        }
        String mediaType = meta.substring(0, meta.length() - ";base64".length());
        int encoded = uri.length() - comma - 1;
        if ((long) encoded / 4 * 3 > maxBytes + 2L) {
            throw new ApiError(ErrorType.IMAGE_TOO_LARGE, field + " is larger than " + maxBytes + " bytes", field);
        }
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(uri.substring(comma + 1));
        } catch (IllegalArgumentException e) {
            throw invalid(field, field + " is not valid base64");
        }
        return new UploadedImage(field, bytes, mediaType.isEmpty() ? null : mediaType);
    }

    private static ApiError invalid(String field, String message) {
        return new ApiError(ErrorType.INVALID_DATA_URI, message, field);
    }
}
