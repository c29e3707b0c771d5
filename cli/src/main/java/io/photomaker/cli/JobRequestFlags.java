package io.photomaker.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.photomaker.common.job.JobRequest;
import io.photomaker.common.json.Json;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One command-line flag per field of {@link JobRequest}, derived from the record itself so the two cannot drift:
 * the field's wire name with {@code -} for {@code _} ({@code num_steps} is {@code --num-steps}). Numbers are
 * checked here; lists are given by repeating the flag (or comma-separated): {@code --identity-ids idn_...[:weight]},
 * {@code --webhook-events started,completed}. {@link #toJson} builds the request as the API takes it.
 */
final class JobRequestFlags {

    /** One flag: its name, the request's wire name and the field's Java type. */
    record Flag(String name, String wireName, Type type) {
    }

    static final List<Flag> FLAGS = derive();

    private JobRequestFlags() {
    }

    /** The flag names, in the order of the request's fields. */
    static Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        FLAGS.forEach(f -> names.add(f.name()));
        return Collections.unmodifiableSet(names);
    }

    /** The request the given flags spell, with only the fields that were given. */
    static ObjectNode toJson(Args args) {
        ObjectNode request = Json.mapper().createObjectNode();
        for (Flag flag : FLAGS) {
            List<String> values = args.all(flag.name());
            if (values.isEmpty()) {
                continue;
            }
            String last = values.get(values.size() - 1);
            if (flag.type() == String.class) {
                request.put(flag.wireName(), last);
            } else if (flag.type() == Integer.class) {
                request.put(flag.wireName(), (int) parseLong(flag, last, Integer.MIN_VALUE, Integer.MAX_VALUE));
            } else if (flag.type() == Long.class) {
                request.put(flag.wireName(), parseLong(flag, last, Long.MIN_VALUE, Long.MAX_VALUE));
            } else if (flag.type() == Double.class) {
                request.put(flag.wireName(), parseDouble(flag, last));
            } else if (isListOf(flag.type(), String.class)) {
                ArrayNode list = request.putArray(flag.wireName());
                values.forEach(v -> split(v).forEach(list::add));
            } else if (flag.wireName().equals("identity_ids")) {
                ArrayNode list = request.putArray(flag.wireName());
                values.forEach(v -> split(v).forEach(ref -> list.add(identity(flag, ref))));
            } else {
                throw new IllegalStateException("no flag conversion for " + flag.wireName() + " of type " + flag.type());
            }
        }
        return request;
    }

    private static List<Flag> derive() {
        List<Flag> flags = new ArrayList<>();
        for (RecordComponent c : JobRequest.class.getRecordComponents()) {
            String wire = snakeCase(c.getName());
            flags.add(new Flag(wire.replace('_', '-'), wire, c.getGenericType()));
        }
        return List.copyOf(flags);
    }

    /** The wire name of a field, as the API's JSON mapping (snake_case) spells it. */
    static String snakeCase(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static boolean isListOf(Type type, Class<?> element) {
        return type instanceof ParameterizedType p && p.getRawType() == List.class
                && p.getActualTypeArguments()[0] == element;
    }

    private static List<String> split(String value) {
        List<String> parts = new ArrayList<>();
        for (String part : value.split(",")) {
            if (!part.isBlank()) {
                parts.add(part.strip());
            }
        }
        return parts;
    }

    private static ObjectNode identity(Flag flag, String ref) {
        ObjectNode node = Json.mapper().createObjectNode();
        int colon = ref.lastIndexOf(':');
        node.put("id", colon < 0 ? ref : ref.substring(0, colon));
        if (colon >= 0) {
            node.put("weight", (int) parseLong(flag, ref.substring(colon + 1), 0, Integer.MAX_VALUE));
        }
        return node;
    }

    private static long parseLong(Flag flag, String text, long min, long max) {
        try {
            long v = Long.parseLong(text.strip());
            if (v < min || v > max) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new Args.UsageException("--" + flag.name() + " must be a whole number, was " + text);
        }
    }

    private static double parseDouble(Flag flag, String text) {
        try {
            double v = Double.parseDouble(text.strip());
            if (!Double.isFinite(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new Args.UsageException("--" + flag.name() + " must be a number, was " + text);
        }
    }
}
