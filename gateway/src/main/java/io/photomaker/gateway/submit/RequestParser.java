package io.photomaker.gateway.submit;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.photomaker.common.errors.ErrorType;
import io.photomaker.common.job.IdentityRef;
import io.photomaker.common.job.JobRequest;
import io.photomaker.gateway.http.ApiError;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the client's request JSON into a {@link JobRequest}, strictly: unknown fields, wrong JSON types
 * (a string for a number, a fraction for an integer), duplicate keys and trailing garbage are refused with
 * the offending field named. Range checks are {@code JobRequestValidator}'s job.
 */
public final class RequestParser {
    /** JSON kinds a request field may have. */
    enum Kind { STRING, INTEGER, NUMBER, STRING_LIST, IDENTITY_LIST }

    static final Map<String, Kind> FIELDS = new LinkedHashMap<>();

    static {
        FIELDS.put("prompt", Kind.STRING);
        FIELDS.put("negative_prompt", Kind.STRING);
        FIELDS.put("style", Kind.STRING);
        FIELDS.put("num_steps", Kind.INTEGER);
        FIELDS.put("guidance_scale", Kind.NUMBER);
        FIELDS.put("guidance_rescale", Kind.NUMBER);
        FIELDS.put("style_strength", Kind.NUMBER);
        FIELDS.put("seed", Kind.INTEGER);
        FIELDS.put("width", Kind.INTEGER);
        FIELDS.put("height", Kind.INTEGER);
        FIELDS.put("num_outputs", Kind.INTEGER);
        FIELDS.put("scheduler", Kind.STRING);
        FIELDS.put("noise", Kind.STRING);
        FIELDS.put("noise_dtype", Kind.STRING);
        FIELDS.put("output_format", Kind.STRING);
        FIELDS.put("output_quality", Kind.INTEGER);
        FIELDS.put("identity_ids", Kind.IDENTITY_LIST);
        FIELDS.put("deadline_seconds", Kind.INTEGER);
        FIELDS.put("webhook", Kind.STRING);
        FIELDS.put("webhook_events", Kind.STRING_LIST);
        FIELDS.put("model", Kind.STRING);
        FIELDS.put("min_identity_similarity", Kind.NUMBER);
        FIELDS.put("max_regenerations", Kind.INTEGER);
    }

    private static final int MAX_LIST = 64;
    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    static {
        STRICT.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
                .maxNestingDepth(32).maxNumberLength(64).build());
    }

    private RequestParser() {
    }

    /** Parses JSON text into a tree; a body that is not one JSON object is a 400 {@code invalid_json}. */
    public static JsonNode tree(byte[] json, String what) {
        return tree(json, json.length, what);
    }

    /** As {@link #tree(byte[], String)}, for the JSON in {@code json[0, length)}. */
    public static JsonNode tree(byte[] json, int length, String what) {
        JsonNode node;
        try {
            node = STRICT.readTree(json, 0, length);
        } catch (IOException e) {
            throw new ApiError(ErrorType.INVALID_JSON, what + " is not valid JSON: " + shortReason(e), null);
        }
        if (node == null || !node.isObject()) {
            throw new ApiError(ErrorType.INVALID_JSON, what + " must be a JSON object", null);
        }
        return node;
    }

    /** The request described by {@code obj}; {@code allowed} names extra fields the caller handles itself. */
    public static JobRequest parse(JsonNode obj, java.util.Set<String> allowed) {
        Iterator<String> names = obj.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!FIELDS.containsKey(name) && !allowed.contains(name)) {
                throw new ApiError(ErrorType.UNKNOWN_FIELD, "unknown field '" + printable(name) + "'", printable(name));
            }
        }
        return new JobRequest(
                string(obj, "prompt"), string(obj, "negative_prompt"), string(obj, "style"),
                integer(obj, "num_steps"), number(obj, "guidance_scale"), number(obj, "guidance_rescale"),
                number(obj, "style_strength"), longValue(obj, "seed"), integer(obj, "width"), integer(obj, "height"),
                integer(obj, "num_outputs"), string(obj, "scheduler"), string(obj, "noise"), string(obj, "noise_dtype"),
                identities(obj), longValue(obj, "deadline_seconds"), string(obj, "webhook"), strings(obj, "webhook_events"),
                string(obj, "model"), number(obj, "min_identity_similarity"), integer(obj, "max_regenerations"),
                string(obj, "output_format"), integer(obj, "output_quality"));
    }

    private static JsonNode present(JsonNode obj, String field) {
        JsonNode v = obj.get(field);
        return v == null || v.isNull() ? null : v;
    }

    private static String string(JsonNode obj, String field) {
        JsonNode v = present(obj, field);
        if (v == null) {
            return null;
        }
        if (!v.isTextual()) {
            throw wrongType(field, "a string", v);
        }
        return v.textValue();
    }

    private static Integer integer(JsonNode obj, String field) {
        Long v = longValue(obj, field);
        if (v == null) {
            return null;
        }
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new ApiError(ErrorType.OUT_OF_RANGE, field + " is far outside its range", field);
        }
        return v.intValue();
    }

    private static Long longValue(JsonNode obj, String field) {
        JsonNode v = present(obj, field);
        if (v == null) {
            return null;
        }
        if (!v.isIntegralNumber()) {
            throw wrongType(field, "an integer", v);
        }
        if (!v.canConvertToLong()) {
            throw new ApiError(ErrorType.OUT_OF_RANGE, field + " is far outside its range", field);
        }
        return v.longValue();
    }

    private static Double number(JsonNode obj, String field) {
        JsonNode v = present(obj, field);
        if (v == null) {
            return null;
        }
        if (!v.isNumber()) {
            throw wrongType(field, "a number", v);
        }
        double d = v.doubleValue();
        if (Double.isInfinite(d)) {
            throw new ApiError(ErrorType.OUT_OF_RANGE, field + " is far outside its range", field);
        }
        return d;
    }

    private static List<String> strings(JsonNode obj, String field) {
        JsonNode v = present(obj, field);
        if (v == null) {
            return null;
        }
        if (!v.isArray() || v.size() > MAX_LIST) {
            throw wrongType(field, "an array of at most " + MAX_LIST + " strings", v);
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                throw wrongType(field + "[" + i + "]", "a string", v.get(i));
            }
            out.add(v.get(i).textValue());
        }
        return out;
    }

    private static List<IdentityRef> identities(JsonNode obj) {
        String field = "identity_ids";
        JsonNode v = present(obj, field);
        if (v == null) {
            return null;
        }
        if (!v.isArray() || v.size() > MAX_LIST) {
            throw wrongType(field, "an array of at most " + MAX_LIST + " identities", v);
        }
        List<IdentityRef> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            String at = field + "[" + i + "]";
            if (!item.isObject()) {
                throw wrongType(at, "an object {\"id\", \"weight\"}", item);
            }
            Iterator<String> names = item.fieldNames();
            while (names.hasNext()) {
                String n = names.next();
                if (!n.equals("id") && !n.equals("weight")) {
                    throw new ApiError(ErrorType.UNKNOWN_FIELD, "unknown field '" + printable(n) + "' in " + at,
                            at + "." + printable(n));
                }
            }
            String id = string(item, "id");
            Integer weight = integer(item, "weight");
            if (id == null) {
                throw new ApiError(ErrorType.MISSING_FIELD, at + ".id is required", at + ".id");
            }
            out.add(new IdentityRef(id, weight == null ? 1 : weight));
        }
        return out;
    }

    private static ApiError wrongType(String field, String expected, JsonNode got) {
        return new ApiError(ErrorType.INVALID_TYPE, field + " must be " + expected + ", got "
                + got.getNodeType().name().toLowerCase(java.util.Locale.ROOT), field);
    }

    /** {@code name} cut to 64 characters with control characters replaced, safe to echo in an error. */
    public static String printable(String name) {
        String cut = name.length() > 64 ? name.substring(0, 64) + "..." : name;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    private static String shortReason(IOException e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        m = nl > 0 ? m.substring(0, nl) : m;
        return m.length() > 200 ? m.substring(0, 200) + "..." : m;
    }
}
