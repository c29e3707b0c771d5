package io.photomaker.gateway.identity;

import com.fasterxml.jackson.databind.JsonNode;
import io.photomaker.common.errors.ErrorType;
import io.photomaker.gateway.http.ApiError;
import io.photomaker.gateway.submit.RequestParser;
import java.util.Iterator;

/**
 * The options of a new identity, from the {@code request} part (multipart) or the JSON body: an optional
 * display name and whether the photos are kept after the embeddings are computed. Parsed strictly: unknown
 * fields and wrong JSON types are refused with the field named.
 *
 * @param name shown back to the owner; null when not given
 * @param keepPhotos keep the uploaded photos next to the embeddings (default: delete them once encoded)
 * @param model the model whose embeddings to compute (null: the deployment's default); a job can use the
 *              identity only on that model
 */
public record IdentityRequest(String name, boolean keepPhotos, String model) {
    /** Longest accepted name. */
    public static final int MAX_NAME = 200;

    /** Reads {@code obj}; an empty object gives no name and photos deleted after encoding. */
    public static IdentityRequest parse(JsonNode obj) {
        Iterator<String> names = obj.fieldNames();
        while (names.hasNext()) {
            String field = names.next();
            if (!field.equals("name") && !field.equals("keep_photos") && !field.equals("model")) {
                String shown = RequestParser.printable(field);
                throw new ApiError(ErrorType.UNKNOWN_FIELD, "unknown field '" + shown + "'; an identity takes 'name',"
                        + " 'keep_photos' and 'model'", shown);
            }
        }
        return new IdentityRequest(name(obj.get("name")), keepPhotos(obj.get("keep_photos")), model(obj.get("model")));
    }

    private static String name(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new ApiError(ErrorType.INVALID_TYPE, "name must be a string", "name");
        }
        String name = v.textValue().strip();
        if (name.length() > MAX_NAME || name.codePoints().anyMatch(Character::isISOControl)) {
            throw new ApiError(ErrorType.INVALID_NAME, "name must be at most " + MAX_NAME
                    + " characters without control characters", "name");
        }
        return name.isEmpty() ? null : name;
    }

    private static String model(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new ApiError(ErrorType.INVALID_TYPE, "model must be a string", "model");
        }
        return v.textValue();
    }

    private static boolean keepPhotos(JsonNode v) {
        if (v == null || v.isNull()) {
            return false;
        }
        if (!v.isBoolean()) {
            throw new ApiError(ErrorType.INVALID_TYPE, "keep_photos must be true or false", "keep_photos");
        }
        return v.booleanValue();
    }
}
